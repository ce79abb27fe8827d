import { FakeApiError } from '../errors';
import type { RouteContext } from './router';

/** `per_page` (default 30, at most 100) and `page` (from 1) of a list request. */
export function pageParams(query: URLSearchParams): { readonly perPage: number; readonly page: number } {
  const perPage = Number(query.get('per_page') ?? '30');
  const page = Number(query.get('page') ?? '1');
  if (!Number.isInteger(perPage) || !Number.isInteger(page)) throw new FakeApiError(422, 'Invalid request.\n\nper_page and page must be integers.');
  return { perPage: Math.min(Math.max(perPage, 1), 100), page: Math.max(page, 1) };
}

/** One page of `items` and GitHub's `Link` header (next, last, first, prev) for the others. */
export function paginate<T>(context: RouteContext, items: readonly T[]): { readonly page: T[]; readonly headers: Record<string, string> } {
  const { perPage, page } = pageParams(context.query);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const link = (target: number, rel: string): string => {
    const url = new URL(context.url.href);
    url.searchParams.set('per_page', String(perPage));
    url.searchParams.set('page', String(target));
    return `<${context.rt.urls.api(url.pathname + url.search)}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page > 1) links.push(link(Math.min(page - 1, last), 'prev'));
  if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
  if (page > 1) links.push(link(1, 'first'));
  return { page: items.slice((page - 1) * perPage, page * perPage), headers: links.length === 0 ? {} : { link: links.join(', ') } };
}
