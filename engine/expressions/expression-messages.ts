// expressions/expression-messages: what a JSONata error says, in every language the product speaks.
// JSONata writes its messages in English from a catalogue keyed by error code, filling in the
// offending token or value; an admin typing a formula in Chinese gets the same message from the
// Chinese catalogue below, filled in the same way. A code without a Chinese entry keeps JSONata's
// English words behind a Chinese lead, so nothing is lost.

import type { LocalizedText } from '../kernel/i18n.ts';

/** The fields JSONata puts on its errors (the inserts of its message templates). An Error's `message` is not enumerable: copy it by name. */
export interface JsonataErrorFields {
  code?: string;
  message?: string;
  position?: number;
  token?: unknown;
  value?: unknown;
  value2?: unknown;
  index?: unknown;
  type?: unknown;
  exp?: unknown;
  /** The Chinese of an error the engine's own functions throw (they know both texts). */
  zh?: string;
}

/** Chinese for JSONata's codes, with its inserts: {{x}} as JSON, {{{x}}} as written. */
const zhTemplates: Record<string, string> = {
  S0101: '字符串字面量缺少配对的结束引号',
  S0102: '数字超出范围：{{token}}',
  S0103: '不支持的转义序列：\\{{token}}',
  S0104: '转义序列 \\u 后面必须是 4 位十六进制数字',
  S0105: '带引号的属性名必须以反引号（`）结束',
  S0106: '注释缺少结束标记',
  S0201: '语法错误：{{token}}',
  S0202: '应为 {{value}}，实际为 {{token}}',
  S0203: '表达式结束前应有 {{value}}',
  S0204: '未知运算符：{{token}}',
  S0205: '意外的符号：{{token}}',
  S0206: '未知的表达式类型：{{token}}',
  S0207: '表达式意外结束',
  S0208: '函数定义的参数 {{value}} 必须是变量名（以 $ 开头）',
  S0209: '分组表达式之后不能跟谓词',
  S0210: '每一步只能有一个分组表达式',
  S0211: '符号 {{token}} 不能用作一元运算符',
  S0212: ':= 左边必须是变量名（以 $ 开头）',
  S0213: '字面值 {{value}} 不能用作路径表达式中的一步',
  S0214: '{{token}} 右边必须是变量名（以 $ 开头）',
  S0215: '上下文变量绑定必须位于该步的所有谓词之前',
  S0216: '上下文变量绑定必须位于该步的排序子句之前',
  S0217: '无法从此表达式得出代表“父级”的对象',
  S0301: '不允许空的正则表达式',
  S0302: '正则表达式缺少结束的 /',
  S0500: '表达式含有语法错误，无法求值',
  T0410: '函数 {{token}} 的第 {{index}} 个参数与函数签名不符',
  T0411: '上下文值与函数 {{token}} 的第 {{index}} 个参数类型不兼容',
  T0412: '函数 {{token}} 的第 {{index}} 个参数必须是 {{type}} 数组',
  D1001: '数字超出范围：{{value}}',
  D1002: '不能对非数值取负：{{value}}',
  T1003: '对象结构中的键必须求值为字符串；实际为：{{value}}',
  D1004: '正则表达式匹配了零长度字符串',
  T1005: '试图调用非函数。是否想写 ${{{token}}}？',
  T1006: '试图调用非函数',
  D1009: '多个键定义求值为同一个键：{{value}}',
  D1011: '栈溢出。请检查是否有不会终止的递归函数',
  D1012: '求值在 {{value}} 毫秒后超时。请检查是否有无限循环',
  T2001: '{{token}} 运算符左边必须求值为数字',
  T2002: '{{token}} 运算符右边必须求值为数字',
  T2003: '范围运算符（..）左边必须求值为整数',
  T2004: '范围运算符（..）右边必须求值为整数',
  T2006: '函数应用运算符 ~> 右边必须是函数',
  T2007: '排序子句中比较的值 {{value}} 与 {{value2}} 类型不一致',
  T2008: '排序子句中的表达式必须求值为数字或字符串',
  T2009: '运算符 {{token}} 两边的值 {{value}} 与 {{value2}} 必须是同一数据类型',
  T2010: '运算符 {{token}} 两边的表达式必须求值为数字或字符串',
  D2014: '范围运算符（..）生成的序列不能超过 1e7 项；试图生成 {{value}} 项',
  D2015: '超过了序列长度上限 {{value}}',
  D3001: '不能对 Infinity 或 NaN 调用字符串函数',
  D3010: 'replace 函数的第二个参数不能是空字符串',
  D3011: 'replace 函数的第四个参数必须求值为正数',
  D3012: '不能用非字符串的值替换匹配到的字符串',
  D3020: 'split 函数的第三个参数必须求值为正数',
  D3030: '无法把值转换为数字：{{value}}',
  D3040: 'match 函数的第三个参数必须求值为正数',
  D3060: 'sqrt 函数不能用于负数：{{value}}',
  D3070: 'sort 函数的单参数形式只能用于字符串数组或数字数组，请用第二个参数指定比较函数',
  D3110: 'toMillis 函数的参数必须是 ISO 8601 格式的时间戳，收到 {{value}}',
  D3132: '日期/时间格式串中有未知的组成说明符 {{value}}',
  D3135: '日期/时间格式串中缺少配对的右方括号 ]',
  D3136: '日期/时间格式串缺少解析该时间戳所需的说明符',
  D3138: '$single() 函数要求恰好匹配 1 个结果，实际匹配了多个',
  D3139: '$single() 函数要求恰好匹配 1 个结果，实际匹配了 0 个',
};

function fill(template: string, error: JsonataErrorFields): string {
  const fields = error as Record<string, unknown>;
  return template
    .replace(/\{\{\{([^}]+)}}}/g, (_, name: string) => String(fields[name]))
    .replace(/\{\{([^}]+)}}/g, (_, name: string) => JSON.stringify(fields[name]) ?? 'undefined');
}

/** A JSONata error's message in English (JSONata's own) and Chinese, with the position when it has one. */
export function jsonataErrorText(error: JsonataErrorFields, fallback: { en: string; zh: string }): { en: string; zh: string } {
  const en = error.message ?? fallback.en;
  const template = error.code === undefined ? undefined : zhTemplates[error.code];
  const zh = error.zh !== undefined ? error.zh : template !== undefined ? fill(template, error) : error.message !== undefined ? `表达式错误${error.code ? `（${error.code}）` : ''}：${error.message}` : fallback.zh;
  if (error.position === undefined) return { en, zh };
  return { en: `${en} (at character ${error.position})`, zh: `${zh}（第 ${error.position} 个字符处）` };
}

/** The engine's own expression checks, in both languages. */
export const expressionCheckText = {
  depth: (max: number): LocalizedText => ({ en: `the expression nests deeper than ${max} levels`, zh: `表达式嵌套超过 ${max} 层` }),
  regex: (source: string, position: number): LocalizedText => ({
    en: `regular expression /${source}/ is too long, or needs backtracking (nested quantifiers, back-references, look-arounds) (at character ${position})`,
    zh: `正则表达式 /${source}/ 太长，或需要回溯（嵌套量词、反向引用、环视）（第 ${position} 个字符处）`,
  }),
  function: (name: string, position: number): LocalizedText => ({ en: `function $${name} is not allowed (at character ${position})`, zh: `不允许使用函数 $${name}（第 ${position} 个字符处）` }),
};
