// settings/trust-proxy: which reverse proxies' X-Forwarded-For the server believes (CRM_TRUST_PROXY).
// By default none: the peer address is the client, so a client cannot pick its own address for
// the sign-in throttle. Behind a proxy, name it, or every user shares the proxy's one address.

import express from 'express';

export type TrustProxy = boolean | number | string;

/**
 * Reads CRM_TRUST_PROXY as express's `trust proxy`: unset, empty or `false` trusts nobody; a whole
 * number trusts that many hops; `true` trusts every hop (only when the proxy overwrites the header);
 * else a comma-separated list of addresses, subnets (CIDR) or express's names `loopback`,
 * `linklocal`, `uniquelocal`. Throws on a value that names no address.
 */
export function trustProxySetting(value: string | undefined): TrustProxy {
  const text = (value ?? '').trim();
  if (text === '' || text === 'false' || text === '0') return false;
  if (text === 'true') return true;
  if (/^\d+$/.test(text)) return Number(text);
  try {
    // express compiles the setting at once (proxy-addr), refusing what is not an address.
    express().set('trust proxy', text);
  } catch (error) {
    throw new Error(`CRM_TRUST_PROXY: ${(error as Error).message} (expected a hop count, true, or addresses, subnets, loopback, linklocal, uniquelocal)`, { cause: error });
  }
  return text;
}
