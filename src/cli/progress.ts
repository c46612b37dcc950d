/** A one-line progress bar on stderr (redrawn in place on a terminal, plain lines otherwise). */
export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr) {
  const width = 30;
  let last = '';
  return {
    update(done: number, total: number, note = '') {
      const ratio = total ? Math.min(1, done / total) : 0;
      const filled = Math.round(ratio * width);
      const line = `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${note}`.slice(0, 120);
      if (stream.isTTY) stream.write(`\r${line.padEnd(last.length)}`);
      else if (done === total) stream.write(`${line}\n`);
      last = line;
    },
    end() {
      if (stream.isTTY && last) stream.write('\n');
    },
  };
}
