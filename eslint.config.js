// Lint: typescript-eslint's recommended rules over engine, test, bench and studio.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// @ant-design/icons names every icon in English (`role="img" aria-label="download"`), which joins the
// name of the button it sits in: the studio takes its icons from app/icons.tsx, decorative there.
const iconsMessage = 'Import icons from studio/src/app/icons.tsx (decorative: no English icon names in accessible names).';
const iconsImport = { name: '@ant-design/icons', message: iconsMessage };
const iconsSubpath = { group: ['@ant-design/icons/*'], message: iconsMessage };

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'coverage/**', 'test-results/**', 'studio/dist/**', 'dist/**', 'engine/metadata/generated/**', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    // Everything the engine logs goes through kernel/log.ts (control characters escaped); CLIs print.
    files: ['engine/**/*.ts'],
    ignores: ['engine/kernel/log.ts', 'engine/cli/**', 'engine/**/*-cli.ts', 'engine/metadata/generate-types.ts'],
    rules: { 'no-console': 'error' },
  },
  {
    // antd's Select, InputNumber and Input.Search name their clear, step and search buttons in English
    // whatever the locale: the studio takes them from app/localized-controls.tsx, which names them in
    // the UI language.
    files: ['studio/src/**/*.{ts,tsx}'],
    ignores: ['studio/src/app/localized-controls.tsx', 'studio/src/app/icons.tsx'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'antd', importNames: ['Select', 'InputNumber'], message: 'Import Select and InputNumber from studio/src/app/localized-controls.tsx (accessible names in the UI language).' }, iconsImport], patterns: [iconsSubpath] }],
      'no-restricted-syntax': ['error', { selector: "MemberExpression[object.name='Input'][property.name='Search']", message: 'Use SearchInput from studio/src/app/localized-controls.tsx (its buttons named in the UI language).' }],
    },
  },
  {
    files: ['studio/src/app/localized-controls.tsx'],
    rules: { 'no-restricted-imports': ['error', { paths: [iconsImport], patterns: [iconsSubpath] }] },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
