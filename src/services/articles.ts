import type { Db } from '../../db/client.js';
import { findArticleDetail, listArticlesPage, type ArticleListFilter } from '../../db/repositories/articles.repository.js';
import { AppError } from '../errors.js';
import type { ArticleDetail, Keyset, Page } from '../model/read-model.js';

export type ArticlePageQuery = ArticleListFilter & { after?: Keyset | undefined; limit: number };

/** Newest published first; two queries per page (articles, then their carrying sources). */
export function listArticles(db: Db, q: ArticlePageQuery): Promise<Page<ArticleDetail>> {
  return listArticlesPage(db, q);
}

export async function getArticle(db: Db, id: number): Promise<ArticleDetail> {
  const a = await findArticleDetail(db, id);
  if (!a) throw new AppError('not_found', `No article ${id}`);
  return a;
}
