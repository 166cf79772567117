// Text-like field types: text, textarea, email, phone, url.

import { isSafePattern, maxPatternLength } from '../../expressions/bounded-regex.ts';
import { builtInPattern } from '../../kernel/safe-regex.ts';
import { halfWidthAscii } from '../parse-text.ts';
import { type FieldType, type JsonSchema, scalarFilterable } from '../field-type.ts';
import { typeWidgets } from '../form-widgets.ts';

/** A required text is not satisfied by "" (at least one character unless minLength says more). */
function lengths(field: { minLength?: number; maxLength?: number; required?: boolean }, defaultMax: number): JsonSchema {
  return { minLength: field.minLength ?? (field.required ? 1 : 0), maxLength: field.maxLength ?? defaultMax };
}

export const textType: FieldType<'text'> = {
  type: 'text',
  widgets: typeWidgets.text,
  compute: 'none',
  valueSchema: (field) => ({ type: 'string', ...lengths(field, 255), ...(field.pattern ? { pattern: field.pattern } : {}) }),
  filterables: (_field, name) => scalarFilterable(name, 'string', true),
  checkDefinition(field, { path }) {
    const issues = [];
    if (field.pattern !== undefined) {
      let compiles = true;
      try {
        new RegExp(field.pattern, 'u');
      } catch (error) {
        compiles = false;
        issues.push({ path: `${path}/pattern`, message: `is not a valid regular expression: ${(error as Error).message}` });
      }
      if (compiles && !isSafePattern(field.pattern, 'u')) {
        issues.push({ path: `${path}/pattern`, message: `is longer than ${maxPatternLength} characters or prone to catastrophic backtracking` });
      }
    }
    if (field.minLength !== undefined && field.maxLength !== undefined && field.minLength > field.maxLength) {
      issues.push({ path: `${path}/minLength`, message: 'must not be greater than maxLength' });
    }
    return issues;
  },
};

export const textareaType: FieldType<'textarea'> = {
  type: 'textarea',
  widgets: typeWidgets.textarea,
  compute: 'none',
  valueSchema: (field) => ({ type: 'string', ...lengths(field, 10_000) }),
  filterables: (_field, name) => scalarFilterable(name, 'string', true),
};

export const emailType: FieldType<'email'> = {
  type: 'email',
  widgets: typeWidgets.email,
  compute: 'none',
  valueSchema: (field) => ({ type: 'string', format: 'email', maxLength: field.maxLength ?? 254 }),
  valueMessages: { format: { en: 'must be an e-mail address such as name@example.com', zh: '必须是电子邮箱地址，例如 name@example.com' } },
  filterables: (_field, name) => scalarFilterable(name, 'string', true),
  normalize: (value) => (typeof value === 'string' ? value.trim().toLowerCase() : value),
};

// Full-width forms too (０２０ ７９４６ ０００１: Chinese input methods type them), stored half-width.
const phonePattern = builtInPattern('^[+\uff0b]?(?:[ ().\\-\u3000\uff08\uff09\uff0e\uff0d]*[0-9\uff10-\uff19]){3}[0-9 ().\\-\u3000\uff08\uff09\uff0e\uff0d\uff10-\uff19]*$');
const webAddressPattern = builtInPattern('^https?://');

export const phoneType: FieldType<'phone'> = {
  type: 'phone',
  widgets: typeWidgets.phone,
  compute: 'none',
  // Digits with the usual separators; at least three digits somewhere. Each of the three steps takes
  // separators then one digit, so no two parts compete for a character: linear on the ordinary engine.
  valueSchema: (field) => ({ type: 'string', pattern: phonePattern, maxLength: field.maxLength ?? 32 }),
  valueMessages: { pattern: { en: 'must be a phone number: at least three digits, with only spaces and + - ( ) . between them', zh: '必须是电话号码：至少三位数字，中间只能有空格和 + - ( ) .' } },
  filterables: (_field, name) => scalarFilterable(name, 'string', true),
  // One number, one stored form: unique checks, filters and tel: links see half-width digits.
  normalize: (value) => (typeof value === 'string' ? halfWidthAscii(value) : value),
};

export const urlType: FieldType<'url'> = {
  type: 'url',
  widgets: typeWidgets.url,
  compute: 'none',
  valueSchema: (field) => ({ type: 'string', format: 'uri', pattern: webAddressPattern, maxLength: field.maxLength ?? 2048 }),
  valueMessages: {
    format: { en: 'must be a web address starting with http:// or https://', zh: '必须是以 http:// 或 https:// 开头的网址' },
    pattern: { en: 'must be a web address starting with http:// or https://', zh: '必须是以 http:// 或 https:// 开头的网址' },
  },
  filterables: (_field, name) => scalarFilterable(name, 'string', true),
};
