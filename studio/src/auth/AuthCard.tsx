// The frame of the pages shown before sign-in: a centred card with the language switch. Plain
// elements styled like antd's Card and Title rather than the components: Card brings Tabs (and
// with them Menu and Dropdown) and Typography its editing and copying into the sign-in page's
// scripts, which then load and run before the first paint.

import { LanguageSwitch } from '../app/LanguageSwitch.tsx';

// antd's own font stack (its seed token), as the signed-in frame's <App> sets it.
const fontFamily = `-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Noto Sans', sans-serif, 'Apple Color Emoji', 'Segoe UI Emoji', 'Segoe UI Symbol', 'Noto Color Emoji'`;

export function AuthCard({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <main style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', background: '#f3f5f8', padding: 16, boxSizing: 'border-box', fontFamily, fontSize: 14, lineHeight: 1.5714, color: 'rgba(0, 0, 0, 0.88)' }}>
      <section aria-labelledby="auth-title" style={{ width: '100%', maxWidth: 400, boxSizing: 'border-box', padding: 24, background: '#ffffff', border: '1px solid #f0f0f0', borderRadius: 8 }}>
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: 8, marginBottom: 16 }}>
          <h1 id="auth-title" style={{ fontSize: 22, fontWeight: 600, lineHeight: 1.27, margin: 0 }}>
            {title}
          </h1>
          <LanguageSwitch />
        </div>
        {children}
      </section>
    </main>
  );
}
