// The address a rich text's link may point at: a web page (http, https) or an e-mail address — never
// a `javascript:` or `data:` address, which a reader's click would run.

const emailAddress = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The link's href for what was typed, or undefined when it is no web or e-mail address. */
export function linkAddress(typed: string): string | undefined {
  const text = typed.trim();
  if (emailAddress.test(text) && !text.includes(':')) return `mailto:${text}`;
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(text) ? text : `https://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return undefined;
  }
  if (url.protocol === 'mailto:') return emailAddress.test(url.pathname) ? url.href : undefined;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  return url.hostname.includes('.') || url.hostname === 'localhost' ? url.href : undefined;
}
