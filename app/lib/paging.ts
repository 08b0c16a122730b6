// One page of a long list, from the page number in the address (`?page=`), for the tables of the
// network and the sessions of a long record of learning.

/** A page number from the address: 1 for anything that is not a whole number from 1 up. */
function pageNumber(asked: string | null): number {
  return asked && /^[1-9]\d{0,5}$/.test(asked) ? Number(asked) : 1;
}

/** The rows of the page asked for (a page past the last is the last), and where they are. */
export function pageOf<T>(rows: T[], asked: string | null, perPage: number) {
  const pages = Math.max(1, Math.ceil(rows.length / perPage));
  const page = Math.min(pageNumber(asked), pages);
  const from = (page - 1) * perPage;
  return { page, pages, total: rows.length, from: from + 1, rows: rows.slice(from, from + perPage) };
}
