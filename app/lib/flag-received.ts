// After a flag is saved, the member lands back on the page with `?flagged=…#flag-received`: the
// page says the flag was received (components/flag-received.tsx) and links back to the item.

const itemAnchor = /^(comment|outcome|method)-\d{1,16}$/;

/** The address to land on after flagging; `back` may carry the flagged item's anchor. */
export function afterFlag(back: string): string {
  const [beforeHash, hash = ""] = back.split("#", 2);
  const [path, query = ""] = beforeHash.split("?", 2);
  const params = new URLSearchParams(query);
  params.set("flagged", itemAnchor.test(hash) ? hash : "1");
  return `${path}?${params}#flag-received`;
}

/** The item to link back to, when the parameter names one. */
export function flaggedItem(value: string | null): string | null {
  return value && itemAnchor.test(value) ? value : null;
}
