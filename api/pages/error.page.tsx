export function ErrorPage({ status, message }: { status: number; message: string }) {
  const title = status === 404 ? 'Not found' : status === 400 ? 'That address is not quite right' : status === 429 ? 'Too many requests' : 'Something went wrong';
  return (
    <div class="page-head error-page">
      <h1>{title}</h1>
      <p class="lede">{message}</p>
      <p>
        <a href="/">Back to the latest events</a> or <a href="/search">search</a>.
      </p>
    </div>
  );
}
