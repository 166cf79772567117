// The address a rich text's link may be given (studio/src/records/rich-text/link-address.ts): a web
// page or an e-mail address, never one a reader's click would run.

import { describe, expect, it } from 'vitest';
import { linkAddress } from '../../studio/src/records/rich-text/link-address.ts';

describe('a rich text link address', () => {
  it('takes web pages (the scheme added when left out) and e-mail addresses', () => {
    expect(linkAddress(' acme.example.com/visits?id=7 ')).toBe('https://acme.example.com/visits?id=7');
    expect(linkAddress('http://localhost:3000/e/account')).toBe('http://localhost:3000/e/account');
    expect(linkAddress('HTTPS://Example.org')).toBe('https://example.org/');
    expect(linkAddress('sales@acme.example')).toBe('mailto:sales@acme.example');
    expect(linkAddress('mailto:sales@acme.example')).toBe('mailto:sales@acme.example');
    expect(linkAddress('https://例子.中国/路径')).toBe(new URL('https://例子.中国/路径').href);
  });

  it('refuses what a click would run, and what is no address', () => {
    for (const typed of ['javascript:alert(1)', ' JavaScript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:msgbox', 'file:///etc/passwd', 'ftp://files.example.com', 'notes', '', '   ', 'mailto:nobody', 'https://']) {
      expect(linkAddress(typed), typed).toBeUndefined();
    }
  });
});
