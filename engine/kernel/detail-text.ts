// kernel/detail-text: error details in the caller's language. Layers write a detail's message in
// English (or already localized), or give it in every language (`text`, where they have both — what
// a report read later, by someone else, needs); the API edge passes every detail through here, so a
// detail thrown anywhere reaches a Chinese-speaking caller in Chinese without each throw site
// carrying both texts. The rules cover the phrasings the engine uses (and ajv's English messages); a
// message no rule knows stays as written. New phrasings: add a rule next to its family.

import type { IssueDetail } from './errors.ts';
import { localize, type Locale, type LocalizedText } from './i18n.ts';
import { exactDetailRules, routeDetailRules, type DetailRule as Rule } from './detail-text-routes.ts';

const q = '"([^"]*)"';
const hasCjk = /[\u3400-\u9fff]/;

const rules: Rule[] = [
  ...exactDetailRules,
  // ajv's own English messages (record values go through ajv-i18n already; metadata does not).
  [/^must have required property '([^']*)'$/, (m) => `缺少必填属性 '${m[1]}'`],
  [/^must NOT have additional properties$/, () => '不允许有额外属性'],
  [/^must NOT have more than (\d+) characters$/, (m) => `不能多于 ${m[1]} 个字符`],
  [/^must NOT have fewer than (\d+) characters$/, (m) => `不能少于 ${m[1]} 个字符`],
  [/^must NOT have more than (\d+) items$/, (m) => `不能多于 ${m[1]} 项`],
  [/^must NOT have fewer than (\d+) items$/, (m) => `不能少于 ${m[1]} 项`],
  [/^must NOT have more than (\d+) properties$/, (m) => `不能多于 ${m[1]} 个属性`],
  [/^must NOT have fewer than (\d+) properties$/, (m) => `不能少于 ${m[1]} 个属性`],
  [/^must NOT have duplicate items \(items ## (\d+) and (\d+) are identical\)$/, (m) => `不能有重复项（第 ${m[2]} 项和第 ${m[1]} 项相同）`],
  [/^must be (<=|>=|<|>) (.+)$/, (m) => `必须 ${m[1]} ${m[2]}`],
  [/^must not be blank$/, () => '不能只含空白'],
  [/^must not be empty$/, () => '不能为空'],
  [/^\$record\.(\S+) is a (\S+) field, computed after the lookup is checked: compare a field it is computed from$/, (m) => `$record.${m[1]} 是 ${m[2]} 字段，在检查查找之后才计算：请比较计算它所依据的字段`],
  [/^must match pattern "(.*)"$/, (m) => `必须匹配模式 "${m[1]}"`],
  [/^must match format "(.*)"$/, (m) => `必须符合格式 "${m[1]}"`],
  [/^must be equal to one of the allowed values$/, () => '必须是允许的值之一'],
  [/^must be equal to constant$/, () => '必须等于常量'],
  [/^must match exactly one schema in oneOf$/, () => '必须恰好匹配 oneOf 中的一个模式'],
  [/^must match a schema in anyOf$/, () => '必须匹配 anyOf 中的某个模式'],
  [/^must match "(\w+)" schema$/, (m) => `必须匹配 "${m[1]}" 模式`],
  [/^must be multiple of (.+)$/, (m) => `必须是 ${m[1]} 的倍数`],
  [/^must NOT be valid$/, () => '不应通过校验'],
  [/^boolean schema is false$/, () => '此处不允许任何值'],
  [/^must pass "(.*)" keyword validation$/, (m) => `必须通过 "${m[1]}" 关键字校验`],
  [/^property name must be valid$/, () => '属性名必须有效'],
  [/^must be (string|number|integer|boolean|object|array|null)(?:,(string|number|integer|boolean|object|array|null))*$/, (m) => `类型必须是 ${m[0].slice(8)}`],
  [/^must be equal to one of the allowed values: (.*)$/, (m) => `必须是允许的值之一：${m[1]}`],
  // The engine's own phrasings.
  [/^is required$/, () => '必填'],
  [/^must be a non-empty string$/, () => '必须是非空字符串'],
  [/^send the \.tgz archive as the request body$/, () => '请把 .tgz 压缩包作为请求体发送'],
  [/^is not a gzipped tar archive$/, () => '不是 gzip 压缩的 tar 归档'],
  [/^is required without dryRun: the baseRevision of the dry run shown$/, () => '非试运行时必填：所示试运行的 baseRevision'],
  [/^is required: (.*)$/, (m) => `必填：${m[1]}`],
  [/^is required for (.*)$/, (m) => `${m[1]} 需要此项`],
  [/^is missing$/, () => '缺失'],
  [/^is not a known property here$/, () => '此处不是已知属性'],
  [/^is not a known property(?: \((.*)\))?$/, (m) => `不是已知属性${m[1] ? `（${m[1].replace(/^known: /, '已知：').replace(/^only /, '只有 ')}）` : ''}`],
  [/^is not a known parameter here(?: \(known: (.*)\))?$/, (m) => `此处不是已知参数${m[1] ? `（已知：${m[1]}）` : ''}`],
  [/^must be given once, as a plain value$/, () => '只能给出一次，且为普通值'],
  [/^must be a whole number from (\d+) to (\d+)$/, (m) => `必须是 ${m[1]} 到 ${m[2]} 之间的整数`],
  [/^must be 1, 0, true or false$/, () => '必须是 1、0、true 或 false'],
  [/^is not UTF-8 text$/, () => '不是 UTF-8 文本'],
  [/^is multipart\/form-data: send the raw bytes \(curl --data-binary @file\) with the file's own type$/, () => '是 multipart/form-data：请以文件自身的类型发送原始字节（curl --data-binary @file）'],
  [/^is not valid Unicode text: it holds a lone surrogate$/, () => '不是有效的 Unicode 文本：含有孤立的代理项'],
  [/^a segment is not percent-encoded UTF-8$/, () => '其中一段不是百分号编码的 UTF-8'],
  [/^is not valid JSON(?:: (.*))?$/, (m) => `不是合法的 JSON${m[1] ? `：${m[1]}` : ''}`],
  [/^is not a record version$/, () => '不是记录版本'],
  [/^is not a list of entity tags$/, () => '不是实体标签列表'],
  [/^nests deeper than (\d+) levels$/, (m) => `嵌套超过 ${m[1]} 层`],
  [/^must be a JSON object(?: like .*)?$/, () => '必须是 JSON 对象'],
  [/^must be text of at most (\d+) characters$/, (m) => `必须是最多 ${m[1]} 个字符的文本`],
  [/^"(.*)" is not allowed as a key: every JavaScript object has it, and taken as data it could change objects built from this input$/, (m) => `不允许以「${m[1]}」作键：每个 JavaScript 对象都有此名称，作为数据可能改变由此输入构建的对象`],
  [/^needs a kind and a name$/, () => '需要 kind 和 name'],
  [/^is given twice in one change: give each item once$/, () => '在一次变更中出现了两次：每项只能给出一次'],
  [new RegExp(`^names (\\w+) ${q} again \\(first at (\\S+)\\): give each item once$`), (m) => `再次给出了 ${m[1]} "${m[2]}"（首次在 ${m[3]}）：每项只能给出一次`],
  [/^must be an array of documents$/, () => '必须是文档数组'],
  [/^must be an? (\w+) document(?: \(an object\))?$/, (m) => `必须是 ${m[1]} 文档（对象）`],
  [/^must be an array of \{ kind, name \}$/, () => '必须是 { kind, name } 数组'],
  [/^must be a known metadata kind$/, () => '必须是已知的元数据类型'],
  [new RegExp(`^must be ${q}(, the name in the address|, the file's name)?$`), (m) => `必须是 "${m[1]}"${m[2] ? (m[2].includes('address') ? '（地址中的名称）' : '（文件名）') : ''}`],
  [new RegExp(`^the name ${q} is used twice; name one with "as"$`), (m) => `名称 "${m[1]}" 用了两次；请用 "as" 为其中一个命名`],
  [new RegExp(`^the name ${q} is also a group key$`), (m) => `名称 "${m[1]}" 也是分组键`],
  [/^the name (.*)$/, (m, t) => `名称${t(m[1]!)}`],
  [/^must be one of (.*)$/, (m) => `必须是以下之一：${m[1]}`],
  [/^the cursor belongs to a different sort$/, () => '游标属于另一种排序'],
  [/^sort by at most (\d+) fields$/, (m) => `最多按 ${m[1]} 个字段排序`],
  [/^sort key (\d+)$/, (m) => `排序键 ${m[1]}`],
  [new RegExp(`^(.*): unknown field ${q}$`), (m, t) => `${t(m[1]!)}：未知字段 "${m[2]}"`],
  [new RegExp(`^(.*): ${q} appears twice$`), (m, t) => `${t(m[1]!)}："${m[2]}" 出现了两次`],
  [new RegExp(`^(.*): ${q} cannot be sorted on$`), (m, t) => `${t(m[1]!)}：不能按 "${m[2]}" 排序`],
  [/^(.*) is empty$/, (m, t) => `${t(m[1]!)} 为空`],
  [/^null is only allowed with (.*)$/, (m) => `null 只能用于 ${m[1]}`],
  [/^expected the pattern as a string$/, () => '模式必须是字符串'],
  [/^expected the options as a string such as "i"$/, () => '选项必须是字符串，如 "i"'],
  [/^only the flags i, m and s are allowed, each once; got "(.*)"$/, (m) => `只允许标志 i、m、s，各一次；收到 "${m[1]}"`],
  [/^the pattern is longer than (\d+) characters$/, (m) => `模式超过 ${m[1]} 个字符`],
  [/^the pattern does not compile: (.*)$/, (m) => `模式无法编译：${m[1]}`],
  [/^the pattern may backtrack catastrophically.*$/, () => '模式可能出现灾难性回溯（嵌套重复、反向引用或环视），请简化'],
  [/^is longer than (\d+) characters or prone to catastrophic backtracking$/, (m) => `超过 ${m[1]} 个字符或可能出现灾难性回溯`],
  [/^expected a number, got (.*)$/, (m) => `应为数字，收到 ${m[1]}`],
  [/^expected a string, got (.*)$/, (m) => `应为字符串，收到 ${m[1]}`],
  [/^expected true or false, got (.*)$/, (m) => `应为 true 或 false，收到 ${m[1]}`],
  [/^expected a date like (\S+), got (.*)$/, (m) => `应为形如 ${m[1]} 的日期，收到 ${m[2]}`],
  [/^expected an ISO date-time with a zone like (\S+), got (.*)$/, (m) => `应为带时区的 ISO 日期时间（如 ${m[1]}），收到 ${m[2]}`],
  [/^is not a valid value of this field: (.*)$/, (m, t) => `不是该字段的有效值：${t(m[1]!)}`],
  [/^is not a valid regular expression: (.*)$/, (m) => `不是有效的正则表达式：${m[1]}`],
  [/^is not a valid cron expression or time zone: (.*)$/, (m) => `不是有效的 cron 表达式或时区：${m[1]}`],
  [new RegExp(`^${q} is computed and cannot be set$`), (m) => `"${m[1]}" 是计算字段，不能写入`],
  [new RegExp(`^${q} is the state field: change it with a transition$`), (m) => `"${m[1]}" 是状态字段：请通过流转修改`],
  [new RegExp(`^${q} is driven by a workflow of (\\S+): take a transition instead$`), (m) => `"${m[1]}" 由 ${m[2]} 的工作流驱动：请改用流转`],
  [new RegExp(`^${q} is driven by a workflow of (\\S+): a new record starts in its initial state$`), (m) => `"${m[1]}" 由 ${m[2]} 的工作流驱动：新记录从其初始状态开始`],
  [new RegExp(`^${q} holds no user id: name a user field \\(or a text field holding user ids\\), owner, createdBy or updatedBy, through at most two lookups$`), (m) => `"${m[1]}" 不含用户 id：请指定用户字段（或存放用户 id 的文本字段）、owner、createdBy 或 updatedBy，最多经过两层查找`],
  [new RegExp(`^refers to ${q}, which is not a field of (\\S+) \\(nor a field reached through its lookups\\)$`), (m) => `引用的 "${m[1]}" 不是 ${m[2]} 的字段（也不是经其查找字段可达的字段）`],
  [new RegExp(`^gives no value for ${q}, a required field of (\\S+) without a default$`), (m) => `没有给出 "${m[1]}" 的值，而它是 ${m[2]} 的必填字段且没有默认值`],
  [new RegExp(`^${q} is not a lookup field of (\\S+)$`), (m) => `"${m[1]}" 不是 ${m[2]} 的查找字段`],
  [new RegExp(`^no workflow of (\\S+) has a transition ${q}$`), (m) => `${m[1]} 的工作流中没有流转 "${m[2]}"`],
  [/^sets no fields and takes no transition: give values, a transition or both$/, () => '既不设置字段也不执行流转：请给出 values、transition 或两者'],
  [new RegExp(`^${q} is not a field of (\\S+)$`), (m) => `"${m[1]}" 不是 ${m[2]} 的字段`],
  // Import mappings (engine/import/import-mapping.ts).
  [/^must be a name like "maven-pipeline"$/, () => '必须是形如 "maven-pipeline" 的名称'],
  [/^must be csv, jsonl or xlsx$/, () => '必须是 csv、jsonl 或 xlsx'],
  [/^must be one character$/, () => '必须是一个字符'],
  [/^is not an IANA time zone$/, () => '不是 IANA 时区'],
  [/^must be "\." or ","$/, () => '必须是 "." 或 ","'],
  [/^must not be the decimal separator \(unquoted, 1,5 would be two cells\)$/, () => '不能与小数点相同（不加引号时 1,5 会被读成两个单元格）'],
  [/^must list 1 to (\d+) (targets|fields)$/, (m) => `必须列出 1 到 ${m[1]} 个${m[2] === 'targets' ? '目标' : '字段'}`],
  [new RegExp(`^${q} is not an entity$`), (m) => `"${m[1]}" 不是实体`],
  [new RegExp(`^${q} is computed and cannot be imported$`), (m) => `"${m[1]}" 是计算字段，不能导入`],
  [/^the id column only identifies records to update: add "id" to the key$/, () => 'id 列只用于识别要更新的记录：请把 "id" 加入键'],
  [/^must map source texts to values$/, () => '必须把源文本映射为值'],
  [new RegExp(`^${q} is not a lookup$`), (m) => `"${m[1]}" 不是查找字段`],
  [/^must name a field of (.+)$/, (m) => `必须指定 ${m[1] === 'the target' ? '目标' : m[1]} 的字段`],
  [/^must be an expression$/, () => '必须是表达式'],
  [/^must be "keep" or "clear"$/, () => '必须是 "keep" 或 "clear"'],
  [/^may name the columns createdAt, closedAt and owner$/, () => '只能指定 createdAt、closedAt 和 owner 列'],
  [/^is a system field: map it under history \(admins\)$/, () => '是系统字段：请在 history 下映射（管理员）'],
  [/^must be an object of field → (value|text)$/, (m) => `必须是 字段 → ${m[1] === 'value' ? '值' : '文本'} 的对象`],
  [new RegExp(`^${q} is a system field name and cannot be declared$`), (m) => `"${m[1]}" 是系统字段名，不能声明`],
  [new RegExp(`^${q} is a name every JavaScript object already has and cannot be a field name$`), (m) => `"${m[1]}" 是所有 JavaScript 对象都已有的名称，不能用作字段名`],
  [/^"id" is the linked record's id and cannot be a link attribute$/, () => '"id" 是所关联记录的 id，不能用作关联属性'],
  [new RegExp(`^refers to ${q}, which is not a field of (\\S+)$`), (m) => `引用的 "${m[1]}" 不是 ${m[2]} 的字段`],
  [new RegExp(`^refers to (entity|role|state|transition|workflow|action|dashboard) ${q}, which (?:does not exist|is not defined in actions)$`), (m) => `引用的${kindZh(m[1]!)} "${m[2]}" 不存在`],
  [new RegExp(`^refers to itself \\(${q}\\)$`), (m) => `引用了自身（"${m[1]}"）`],
  [new RegExp(`^maps to ${q}, which is not a state$`), (m) => `映射到的 "${m[1]}" 不是状态`],
  [new RegExp(`^differs from (entity|field) ${q} only in letter case$`), (m) => `与${kindZh(m[1]!)} "${m[2]}" 仅大小写不同`],
  [/^must be the id of an active user$/, () => '必须是有效用户的 id'],
  [/^must be the e-mail address \(or other subject identifier\) of the person$/, () => '必须是此人的电子邮箱（或其他主体标识）'],
  [/^must be a date-time in the future$/, () => '必须是将来的时间'],
  [/^has the wrong format$/, () => '格式不正确'],
  [/^must be a string$/, () => '必须是字符串'],
  [/^must be true or false$/, () => '必须是 true 或 false'],
  [/^must be \{ "directory": path \} or \{ "archive": path \}$/, () => '必须是 { "directory": 路径 } 或 { "archive": 路径 }'],
  [/^must be an array of strings$/, () => '必须是字符串数组'],
  [/^must be a (boolean|string)$/, (m) => `必须是${m[1] === 'boolean' ? '布尔值' : '字符串'}`],
  [/^is not used by count$/, () => 'count 不使用此项'],
  [/^(\S+) needs a numeric (or date )?field$/, (m) => `${m[1]} 需要数值${m[2] ? '或日期' : ''}字段`],
  [/^(.*) \(at character (\d+)\)$/, (m, t) => `${t(m[1]!)}（第 ${m[2]} 个字符处）`],
  [/^syntax error$/, () => '语法错误'],
  [/^must not be greater than (\w+)$/, (m) => `不能大于 ${m[1]}`],
  [/^the expression nests deeper than (\d+) levels$/, (m) => `表达式嵌套超过 ${m[1]} 层`],
  [new RegExp(`^${q} is reserved: the API's own operations already use the names its operations would get$`), (m) => `"${m[1]}" 是保留名称：API 自身的操作已使用它会生成的操作名`],
  [new RegExp(`^${q} and entity ${q} would give the same generated type name \\((\\w+)\\): rename one$`), (m) => `"${m[1]}" 与实体 "${m[2]}" 会生成相同的类型名（${m[3]}）：请改名其一`],
  [/^(\d+) more issues not shown$/, (m) => `另有 ${m[1]} 个问题未显示`],
  // Public web forms.
  [/^must be empty$/, () => '必须为空'],
  [/^is not a field of this form$/, () => '不是此表单的字段'],
  [/^must be an object of field values$/, () => '必须是字段值组成的对象'],
  [/^a published form shows no related list: its visitors may read no records$/, () => '已发布的表单不能显示相关列表：访客不能读取记录'],
  [/^a published form cannot ask for a (\S+) field: its visitors may not search records$/, (m) => `已发布的表单不能包含 ${m[1]} 字段：访客不能搜索记录`],
  // Imports.
  [/^give the file name \(\?name=(.*)\)$/, (m) => `请给出文件名（?name=${m[1]}）`],
  [/^the file name must end in (.+) or (\S+)$/, (m) => `文件名必须以 ${m[1]!.split(', ').join('、')} 或 ${m[2]} 结尾`],
  [/^must equal the name in the URL$/, () => '必须与 URL 中的名称相同'],
  [/^send \{ (.*) \}$/, (m) => `请发送 { ${m[1]} }`],
  [/^must be the id POST (\S+) returned$/, (m) => `必须是 POST ${m[1]} 返回的 id`],
  [/^must be a mapping name or a mapping object$/, () => '必须是映射名称或映射对象'],
  // File fields.
  [/^applies only to a field with "multiple": true$/, () => '仅适用于 "multiple": true 的字段'],
  // Many-to-many links.
  [/^is not a multiLookup field of this entity$/, () => '不是此实体的多对多（multiLookup）字段'],
  [/^must list 1 to 1000 record ids$/, () => '必须列出 1 到 1000 个记录 id'],
  [/^is not a record id$/, () => '不是记录 id'],
  [/^is not linked to this record$/, () => '未与此记录关联'],
  // Refactorings (rename, type change).
  [new RegExp(`^there is no entity ${q}$`), (m) => `没有实体 "${m[1]}"`],
  [new RegExp(`^there is no field ${q} on (\\w+)$`), (m) => `${m[2]} 没有字段 "${m[1]}"`],
  [/^must be a field name: a lower-case letter, then letters and digits \(at most 63\)$/, () => '必须是字段名：以小写字母开头，后接字母和数字（最多 63 个）'],
  [/^is the field's current name$/, () => '就是字段当前的名称'],
  [new RegExp(`^${q} is already a field of (\\w+)$`), (m) => `"${m[1]}" 已是 ${m[2]} 的字段`],
  [/^must be an entity name: a lower-case letter, then letters and digits \(at most 63\)$/, () => '必须是实体名：以小写字母开头，后接字母和数字（最多 63 个）'],
  [/^is the entity's current name$/, () => '就是实体当前的名称'],
  [new RegExp(`^${q} is already an entity$`), (m) => `"${m[1]}" 已是一个实体`],
  [new RegExp(`^(\\d+) records of a removed entity ${q} are still stored under that name$`), (m) => `已删除的实体 "${m[2]}" 仍有 ${m[1]} 条记录存放在这个名称下`],
  [/^belongs to template "(.*)": an upgrade would install it again under its old name, so it cannot be renamed; change its label instead$/, (m) => `属于模板 "${m[1]}"：模板升级会以原名称重新安装它，因此不能重命名；请改为修改它的显示名称`],
  [/^(\d+) stored values cannot be converted$/, (m) => `${m[1]} 个已存值无法转换`],
  [/^(\d+) stored record\(s\) hold a value that is no (\S+) \(e\.g\. (\S+): (.*), (.+)\): a save does not convert them — change the type from (\S+) with the type-change refactoring \(POST (\S+)\), which does, or remove the field and add it anew$/, (m, t) => `${m[1]} 条已存记录的值不是 ${m[2]} 类型（例如 ${m[3]}：${m[4]}，${t(m[5]!)}）：保存不会转换这些值——请用类型转换重构（POST ${m[7]}）把类型从 ${m[6]} 改过来，它会转换；或者删除该字段后重新添加`],
  [/^(\d+) records share a value of (.+), which must become unique \(e\.g\. (.*)\)$/, (m) => `${m[1]} 条记录在 ${m[2]} 上有相同的值，而它必须唯一（例如 ${m[3]}）`],
  // Filters, sorts, cursors and aggregations (engine/filter).
  [/^expected a filter object$/, () => '应为筛选对象'],
  [/^expected a value or an object of operators, got \{\}$/, () => '应为一个值或运算符对象，收到 {}'],
  [/^unknown operator (\S+); use \$and, \$or, \$nor or a field name$/, (m) => `未知运算符 ${m[1]}；请使用 $and、$or、$nor 或字段名`],
  [/^unknown operator (\S+)$/, (m) => `未知运算符 ${m[1]}`],
  [new RegExp(`^${q} is not allowed as a key$`), (m) => `"${m[1]}" 不允许作为键`],
  [new RegExp(`^${q} is not a valid field path$`), (m) => `"${m[1]}" 不是有效的字段路径`],
  [new RegExp(`^unknown field ${q}$`), (m) => `未知字段 "${m[1]}"`],
  [/^(\$\w+) expects an array of values$/, (m) => `${m[1]} 需要一个值数组`],
  [/^(\$\w+) expects a non-empty array of filters$/, (m) => `${m[1]} 需要一个非空的筛选数组`],
  [/^(\$\w+) accepts at most (\d+) values, got (\d+)$/, (m) => `${m[1]} 最多接受 ${m[2]} 个值，收到 ${m[3]} 个`],
  [/^\$exists expects true or false$/, () => '$exists 需要 true 或 false'],
  [/^\$not expects a non-empty object of operators, such as \{ "\$gt": 5 \}$/, () => '$not 需要一个非空的运算符对象，如 { "$gt": 5 }'],
  [/^\$not cannot contain another \$not$/, () => '$not 中不能再包含 $not'],
  [/^\$options needs a \$regex beside it$/, () => '$options 需要与 $regex 一起使用'],
  [/^filters may nest at most (\d+) levels deep$/, (m) => `筛选最多嵌套 ${m[1]} 层`],
  [/^a filter may have at most (\d+) conditions$/, (m) => `一个筛选最多包含 ${m[1]} 个条件`],
  [new RegExp(`^operator (\\S+) is not allowed on ${q}$`), (m) => `运算符 ${m[1]} 不能用于 "${m[2]}"`],
  [new RegExp(`^${q} holds several values; only \\$eq, \\$ne, \\$in, \\$nin, \\$exists and \\$not apply to it$`), (m) => `"${m[1]}" 含多个值；只能使用 $eq、$ne、$in、$nin、$exists 和 $not`],
  [new RegExp(`^\\$regex only applies to text fields; ${q} holds (\\w+) values$`), (m) => `$regex 只适用于文本字段；"${m[1]}" 的值是 ${m[2]}`],
  [/^matching a whole array is not supported; use \$in or \$eq with one element$/, () => '不支持匹配整个数组；请用 $in 或对单个元素用 $eq'],
  [new RegExp(`^matching a whole object is not supported; filter on ${q} instead$`), (m) => `不支持匹配整个对象；请改为筛选 "${m[1]}"`],
  [/^the cursor is not a cursor this server issued$/, () => '该游标不是本服务器签发的'],
  [/^too many sort terms$/, () => '排序项过多'],
  [/^expected names separated by commas, such as "-amount,stage"$/, () => '应为逗号分隔的名称，如 "-amount,stage"'],
  [/^\$(\w+) holds user or team ids: it cannot be compared with a (\w+) field$/, (m) => `$${m[1]} 是用户或团队 id：不能与 ${m[2]} 字段比较`],
  [/^\$(\w+) is a moment: it cannot be compared with a (\w+) field$/, (m) => `$${m[1]} 是一个时刻：不能与 ${m[2]} 字段比较`],
  [/^\$(\w+) takes no offset$/, (m) => `$${m[1]} 不接受偏移量`],
  [/^unknown variable (".*"); use \$me, \$myTeams, \$today or \$now \(with an offset such as "\$today - 30 days"\)$/, (m) => `未知变量 ${m[1]}；请使用 $me、$myTeams、$today 或 $now（可带偏移，如 "$today - 30 days"）`],
  [/^(\w+) needs a number field; "(.*)" holds (\w+) values$/, (m) => `${m[1]} 需要数值字段；"${m[2]}" 的值是 ${m[3]}`],
  [/^(\w+) needs a number, date or text field$/, (m) => `${m[1]} 需要数值、日期或文本字段`],
  [new RegExp(`^${q} is neither a group key nor a measure$`), (m) => `"${m[1]}" 既不是分组键也不是度量`],
  [new RegExp(`^${q} holds several values and cannot be grouped or measured$`), (m) => `"${m[1]}" 含多个值，不能分组或度量`],
  [new RegExp(`^${q} is not a date or datetime field$`), (m) => `"${m[1]}" 不是日期或日期时间字段`],
  [/^count counts records; use countDistinct to count values of a field$/, () => 'count 统计记录数；要统计字段的不同值请用 countDistinct'],
  [/^group by at most (\d+) keys$/, (m) => `最多按 ${m[1]} 个键分组`],
  [/^at most (\d+) measures$/, (m) => `最多 ${m[1]} 个度量`],
  [/^expected one of (.*)$/, (m) => `应为以下之一：${m[1]}`],
  [/^expected an array of fields$/, () => '应为字段数组'],
  [/^expected a field name$/, () => '应为字段名'],
  [/^expected an object of named measures$/, () => '应为命名度量组成的对象'],
  [/^expected a field name or \{ "field", "bucket"\?, "as"\? \}$/, () => '应为字段名或 { "field", "bucket"?, "as"? }'],
  [/^unknown property \(known: (.*)\)$/, (m) => `未知属性（已知：${m[1]}）`],
  [/^must be a name of 1 to (\d+) characters$/, (m) => `必须是 1 到 ${m[1]} 个字符的名称`],
  [/^a measure name has at most (\d+) characters$/, (m) => `度量名最多 ${m[1]} 个字符`],
  [/^must be an IANA time zone such as "Asia\/Shanghai" or "UTC"$/, () => '必须是 IANA 时区，如 "Asia/Shanghai" 或 "UTC"'],
  // Metadata checks (engine/kinds, field types).
  [/^formulas refer to each other in a circle: (.*)$/, (m) => `公式相互引用形成循环：${m[1]}`],
  [new RegExp(`^${q}: ${q} is not a field of (\\S+)$`), (m) => `"${m[1]}"："${m[2]}" 不是 ${m[3]} 的字段`],
  [new RegExp(`^${q}: ${q} is not a lookup field of (\\S+)$`), (m) => `"${m[1]}"："${m[2]}" 不是 ${m[3]} 的查找字段`],
  [/^must be a lookup field of (\S+) that points to (\S+)$/, (m) => `必须是 ${m[1]} 中指向 ${m[2]} 的查找字段`],
  [/^min \((.*)\) must not be greater than max \((.*)\)$/, (m) => `min（${m[1]}）不能大于 max（${m[2]}）`],
  [/^a multi-valued field cannot be indexed$/, () => '多值字段不能建立索引'],
  [/^a link attribute must be of a simple type \((.*)\), not (\w+)$/, (m) => `关联属性必须是简单类型（${m[1]}），而不是 ${m[2]}`],
  [/^a link attribute cannot be unique$/, () => '关联属性不能设为唯一'],
  [/^a link attribute has no default$/, () => '关联属性没有默认值'],
  [/^exactly one state must be initial \(found (\d+)(?:: (.*))?\)$/, (m) => `必须恰好有一个初始状态（找到 ${m[1]} 个${m[2] ? `：${m[2]}` : ''}）`],
  [/^the options of (\S+) must be the states(.*)$/, (m) => `${m[1]} 的选项必须就是各状态${m[2]!.replace(/; states without an option: /, '；没有对应选项的状态：').replace(/; options that are no state: /, '；不是状态的选项：')}`],
  [new RegExp(`^${q} must be a picklist whose options are the states$`), (m) => `"${m[1]}" 必须是选项即各状态的下拉字段`],
  [new RegExp(`^(\\S+) is already driven by workflow ${q}$`), (m) => `${m[1]} 已由流程 "${m[2]}" 驱动`],
  [new RegExp(`^transition ${q} has no approval$`), (m) => `流转 "${m[1]}" 没有审批`],
  [new RegExp(`^${q} is driven by workflow ${q}: new records start in its initial state, so it takes no default$`), (m) => `"${m[1]}" 由流程 "${m[2]}" 驱动：新记录从其初始状态开始，因此不能有默认值`],
  [new RegExp(`^${q} sets fields: use it on a transition or a trigger, not here$`), (m) => `"${m[1]}" 会设置字段：请在流转或触发器中使用，不能用在这里`],
  [new RegExp(`^${q} has no fixed set of values to make columns of: use a picklist or a workflow's state field$`), (m) => `"${m[1]}" 没有固定的取值，无法生成列：请使用下拉字段或流程的状态字段`],
  [new RegExp(`^${q} must be a numeric field of (\\S+)$`), (m) => `"${m[1]}" 必须是 ${m[2]} 的数值字段`],
  [new RegExp(`^${q} does not fit a (\\w+) field; use one of (.*)$`), (m) => `"${m[1]}" 不适用于 ${m[2]} 字段；请使用以下之一：${m[3]}`],
  [new RegExp(`^reads ${q} through the lookup ${q}: expressions see only the record's own fields \\(the lookup holds the target's id\\)$`), (m) => `通过查找字段 "${m[2]}" 读取了 "${m[1]}"：表达式只能读取记录自身的字段（查找字段存的是目标记录的 id）`],
  [new RegExp(`^${q} is already in section ${q}: a field appears in one section only$`), (m) => `"${m[1]}" 已在分区 "${m[2]}" 中：一个字段只能出现在一个分区`],
  [/^is wider than (read|update) \(([^)]*)\)(: a role may not change records it cannot see)?$/, (m) => `范围大于 ${m[1]}（${m[2]}）${m[3] ? '：角色不能修改它看不到的记录' : ''}`],
  [new RegExp(`^workflow ${q} belongs to (\\S+), not (\\S+)$`), (m) => `流程 "${m[1]}" 属于 ${m[2]}，而不是 ${m[3]}`],
  [new RegExp(`^workflow ${q} has no transition ${q}$`), (m) => `流程 "${m[1]}" 没有流转 "${m[2]}"`],
  [new RegExp(`^${q} is not a workflow with states on (\\S+)$`), (m) => `"${m[1]}" 不是 ${m[2]} 上带状态的流程`],
  [new RegExp(`^overlaps widget ${q}$`), (m) => `与组件 "${m[1]}" 重叠`],
  ...routeDetailRules,
];

function kindZh(kind: string): string {
  return ({ entity: '实体', role: '角色', state: '状态', transition: '流转', workflow: '流程', action: '动作', field: '字段', dashboard: '仪表板' } as Record<string, string>)[kind] ?? kind;
}

function translate(message: string, depth: number): string {
  if (hasCjk.test(message) || depth > 3) return message;
  for (const [pattern, render] of rules) {
    const m = pattern.exec(message);
    if (m) return render(m, (s) => translate(s, depth + 1));
  }
  return message;
}

/** A detail message in the caller's language (unchanged for English, or when no rule knows it). */
export function localizeDetailMessage(message: string, locale: Locale): string {
  return locale === 'en' ? message : translate(message, 0);
}

/** Whether a rule knows the message (tests use it to list what would stay English). */
export function isTranslatable(message: string): boolean {
  return hasCjk.test(message) || translate(message, 0) !== message;
}

/** A detail's message in the reader's language: from its own texts when it carries them, by the rules otherwise. */
export function detailMessage(detail: Pick<IssueDetail, 'message' | 'text'>, locale: Locale): string {
  return detail.text === undefined ? localizeDetailMessage(detail.message, locale) : localize(detail.text, locale);
}

/** A detail (or an issue shaped like one) as the API sends it: in the caller's language, without its other languages. */
export function publicDetail<T extends Pick<IssueDetail, 'message' | 'text'>>(detail: T, locale: Locale): Omit<T, 'text'> {
  const { text: _text, ...rest } = detail;
  return { ...rest, message: detailMessage(detail, locale) };
}

/** Details as the API sends them (see publicDetail). */
export function publicDetails(details: readonly IssueDetail[], locale: Locale): IssueDetail[] {
  return details.map((detail) => publicDetail(detail, locale));
}

/** A text kept to be read later (a stored report), in the reader's language; a plain string (older reports, English phrasings) by the rules. */
export function readText(text: LocalizedText, locale: Locale): string {
  return typeof text === 'string' ? localizeDetailMessage(text, locale) : localize(text, locale);
}

/** A detail's message in every language, as compact as it goes: one string when every language reads the same. */
export function storedText(detail: Pick<IssueDetail, 'message' | 'text'>): LocalizedText {
  return compactText(detail.text ?? detail.message);
}

/** `{ en, zh }` with the same text in both is kept as that one string. */
export function compactText(text: LocalizedText): LocalizedText {
  return typeof text !== 'string' && text.en !== undefined && text.en === text.zh ? text.en : text;
}
