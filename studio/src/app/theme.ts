// Theme tokens: antd's defaults with darker primary and secondary text, so that buttons and
// descriptions pass WCAG AA contrast (axe flags antd's #1677ff on white and its 45% greys).

import type { ThemeConfig } from 'antd';

export const theme: ThemeConfig = {
  // antd's styles come from its prebuilt stylesheet (antd/dist/antd.css, imported by main.tsx): no
  // CSS-in-JS generated on the first render of each component (it was ~15 % of the sign-in page's
  // script time and more on the first list or record page). The tokens below still reach it as
  // CSS variables.
  zeroRuntime: true,
  token: {
    colorPrimary: '#0b57d0',
    colorLink: '#0b57d0',
    // Hover and active states keep AA contrast with white text too.
    colorPrimaryHover: '#0a47a9',
    colorPrimaryActive: '#083a8a',
    colorLinkHover: '#0a47a9',
    colorTextSecondary: 'rgba(0, 0, 0, 0.72)',
    colorTextTertiary: 'rgba(0, 0, 0, 0.66)',
    colorTextDescription: 'rgba(0, 0, 0, 0.66)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.6)',
    colorTextDisabled: 'rgba(0, 0, 0, 0.6)',
    colorError: '#c62828',
    colorSuccess: '#2e7d32',
    colorWarning: '#a15c00',
    // antd derives the alerts' backgrounds from the colours above; from these darker ones it made
    // greyish tints that looked disabled (as if under a modal's mask): light ones set by hand.
    colorSuccessBg: '#edf7ed',
    colorSuccessBorder: '#a5d6a7',
    colorErrorBg: '#fdecea',
    colorErrorBorder: '#f4b4ae',
    colorWarningBg: '#fff4e5',
    colorWarningBorder: '#ffcc80',
    borderRadius: 6,
  },
  components: {
    Layout: { headerBg: '#ffffff', siderBg: '#ffffff', headerPadding: '0 16px' },
    Menu: { itemSelectedColor: '#0b57d0', groupTitleColor: 'rgba(0, 0, 0, 0.7)' },
    Table: { headerColor: 'rgba(0, 0, 0, 0.88)' },
  },
};
