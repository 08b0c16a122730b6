// Addresses of organisations and venues, for pages and components (no data access).
export const organisationPath = (slug: string) => `/organisations/${encodeURIComponent(slug)}`;
export const venuePath = (id: number) => `/venues/${id}`;
