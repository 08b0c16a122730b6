// The feed package marks titles and summaries type="html": a feed reader renders them as HTML.
// Text from members is escaped first, so "A & B <script>" reads as written and runs nothing.
export const asHtml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
