// kernel/detail-text-routes: the Chinese of the details that routes and metadata kinds outside the
// record and filter paths write in English — idempotency keys, analytics and dashboard filters,
// subscriptions, imports, inbound items, workflow tests, templates and configuration bundles, and
// the checks of a few metadata kinds. Kept beside detail-text.ts (which applies them after its own)
// so that file stays one family per screen. Each phrasing is matched whole.

/** A rule: a phrasing and its Chinese (`t` translates an embedded phrasing). */
export type DetailRule = [RegExp, (m: RegExpExecArray, t: (s: string) => string) => string];

const exact: Record<string, string> = {
  // Idempotency keys (idempotency/idempotency-middleware.ts).
  'is not a valid key': '不是有效的键',
  'was first used with another method, path or body': '首次使用时的方法、路径或请求体与此不同',
  'the first request with this key has not been answered yet': '使用此键的第一个请求尚未得到答复',
  // Metadata items' If-Match (api/metadata-etag.ts).
  'names an item that does not exist': '所指的条目不存在',
  // Analytics, reports and dashboard filters.
  '"from" is after "to"': '"from" 晚于 "to"',
  'expected a date YYYY-MM-DD': '应为 YYYY-MM-DD 格式的日期',
  'expected a team name': '应为团队名称',
  'expected a user id or a list of up to 100': '应为一个用户 id，或最多 100 个的列表',
  'expected a value or a list of up to 100': '应为一个值，或最多 100 个的列表',
  'expected an object': '应为对象',
  'expected an object of filter values by name': '应为按名称给出筛选值的对象',
  'expected json, csv or xlsx': '应为 json、csv 或 xlsx',
  'expected { "from"?: "YYYY-MM-DD", "to"?: "YYYY-MM-DD" }': '应为 { "from"?: "YYYY-MM-DD", "to"?: "YYYY-MM-DD" }',
  // Subscriptions (replay).
  'give an event id, or from and to': '请给出事件 id，或 from 与 to',
  'must be an ISO instant in UTC': '必须是 UTC 的 ISO 时间',
  'must be an ISO instant in UTC (2026-03-01T09:00:00Z)': '必须是 UTC 的 ISO 时间（2026-03-01T09:00:00Z）',
  'must be an event id': '必须是事件 id',
  'no such event': '没有该事件',
  'the range holds too many events': '该范围内的事件过多',
  // Imports.
  'is not a saved or shipped mapping': '不是已保存或随附的映射',
  'must be the name of a sheet of the workbook': '必须是工作簿中某个工作表的名称',
  'no such file': '没有该文件',
  'say the format (csv, jsonl or xlsx): the file name does not': '请说明格式（csv、jsonl 或 xlsx）：文件名未能表明',
  // Inbound items and mail channels.
  'must give an object of field values': '必须给出字段值组成的对象',
  'the mapping must give an object of field values (or an array of them)': '映射必须给出字段值组成的对象（或其数组）',
  'is required to find or create the record': '查找或创建记录时必填',
  'too many items': '项目过多',
  'the key expression gave no string or number': '键表达式没有得出字符串或数字',
  // Lists.
  'is only taken with lookupFor': '只能与 lookupFor 一起使用',
  // Workflow tests.
  'must be an array of metadata documents': '必须是元数据文档数组',
  'needs a kind (not workflow) and a name': '需要 kind（不能是 workflow）和 name',
  'must be { "id": "<record id>" } or { "values": { … } } (a draft record)': '必须是 { "id": "<记录 id>" } 或 { "values": { … } }（草稿记录）',
  'must be { "roles": ["<role>", …] }': '必须是 { "roles": ["<角色>", …] }',
  'must be the nextCursor of a previous page': '必须是上一页的 nextCursor',
  "must be the workflow's name": '必须是该流程的名称',
  // Designer: previews and refactorings.
  'no such entity': '没有该实体',
  'must be an integer from 1 to 50': '必须是 1 到 50 之间的整数',
  'must be a field definition with a type': '必须是带 type 的字段定义',
  'must be "clear" or "refuse"': '必须是 "clear" 或 "refuse"',
  'must be "field" or "entity"': '必须是 "field" 或 "entity"',
  "must be the entity's name": '必须是该实体的名称',
  'must be a record id': '必须是记录 id',
  // Templates' module switch.
  'is required: true or false': '必填：true 或 false',
  // Templates, their archives and sample data.
  'is not a file': '不是文件',
  'is not a folder': '不是文件夹',
  'must be a folder': '必须是文件夹',
  'must be a plain .json file': '必须是普通的 .json 文件',
  'must be a plain file (no links)': '必须是普通文件（不能是链接）',
  'points outside the template': '指向模板之外',
  'is not a version range': '不是版本范围',
  'a template cannot depend on itself': '模板不能依赖自身',
  'modules depend on each other in a cycle': '模块之间循环依赖',
  'is not listed in any module of the manifest': '未列在清单的任何模块中',
  'is not an entity of the installed metadata': '不是已安装元数据中的实体',
  'needs a stable id: a ULID (26 characters of Crockford base 32, e.g. 01JAAAAAAAAAAAAAAAAAAAAAAA)': '需要固定的 id：ULID（26 个 Crockford base32 字符，如 01JAAAAAAAAAAAAAAAAAAAAAAA）',
  // Configuration bundles.
  'must be a configuration bundle (a JSON object)': '必须是配置包（JSON 对象）',
  'must be an array of item rows': '必须是条目行数组',
  'must be an array of template states': '必须是模板状态数组',
  'must be an array of module names': '必须是模块名数组',
  'must be an object': '必须是对象',
  'must be a number': '必须是数字',
  'must be "document" or "patch"': '必须是 "document" 或 "patch"',
  'must be { "by": "admin" } or { "by": "template", template, version }': '必须是 { "by": "admin" } 或 { "by": "template", template, version }',
  "must have the row's kind and name": '必须与该行的 kind 和 name 相同',
  // Metadata kinds and field types.
  'a grouped report shows its keys and measures: columns are for a list of records': '分组报表显示其分组键和度量：columns 只用于记录列表',
  'measures need groupBy': 'measures 需要 groupBy',
  'a report without groupBy lists records: name its columns': '没有 groupBy 的报表列出记录：请指定其 columns',
  'must be strictly ascending (limits for scores 5, 4, 3, 2)': '必须严格递增（依次为 5、4、3、2 分的界限）',
  'must be strictly descending (limits for scores 5, 4, 3, 2)': '必须严格递减（依次为 5、4、3、2 分的界限）',
  'a state cannot be both initial and final': '状态不能既是初始状态又是终止状态',
  'a line runs over time: group by a date or datetime field with a bucket': '折线图按时间展开：请按带 bucket 的日期或日期时间字段分组',
  'parent and parentField go together': 'parent 与 parentField 必须同时给出',
  '"admin" is reserved (it names administrator API tokens); call the role e.g. "administrator"': '"admin" 是保留名称（用于管理员的 API 令牌）；请把角色命名为如 "administrator"',
  'setNull cannot clear a required lookup: use restrict or cascade': 'setNull 不能清空必填的查找字段：请使用 restrict 或 cascade',
  'must not be later than max': '不能晚于 max',
};

const q = '"([^"]*)"';

/** Phrasings with values in them. */
const patterns: DetailRule[] = [
  // Records: approvals, lookup paths, lookup filters' $record values.
  [new RegExp(`^cannot change while its approval is pending \\(approval (\\S+) of ${q} depends on it\\)$`), (m) => `审批待定期间不能修改（流转 "${m[2]}" 的审批 ${m[1]} 依赖此字段）`],
  [new RegExp(`^cannot change as approved until the record is back in a state ${q} starts from \\(approval (\\S+) of ${q} depends on it\\)$`), (m) => `审批通过后不能修改，直到记录回到 "${m[1]}" 的起始状态（流转 "${m[3]}" 的审批 ${m[2]} 依赖此字段）`],
  [new RegExp(`^${q} goes through more than (\\d+) lookups$`), (m) => `"${m[1]}" 经过的查找超过 ${m[2]} 层`],
  [new RegExp(`^${q} names no single-valued field of the record being edited$`), (m) => `"${m[1]}" 不是所编辑记录的单值字段`],
  [/^(\S+) holds a (\w+): it cannot be compared with a (\w+) field$/, (m) => `${m[1]} 是 ${m[2]} 值：不能与 ${m[3]} 字段比较`],
  // Dashboards, segments, imports, backups.
  [/^is not a filter of this dashboard \(known: (.*)\)$/, (m) => `不是此仪表板的筛选条件（已知：${m[1] === 'none' ? '无' : m[1]}）`],
  [new RegExp(`^${q} is not a filter of this dashboard$`), (m) => `"${m[1]}" 不是此仪表板的筛选条件`],
  [new RegExp(`^segment ${q} has more than (\\d+) members$`), (m) => `细分 "${m[1]}" 的成员超过 ${m[2]} 个`],
  [new RegExp(`^(\\S+) has no field ${q}$`), (m) => `${m[1]} 没有字段 "${m[2]}"`],
  [/^must be a line number from 1 to (\d+)$/, (m) => `必须是 1 到 ${m[1]} 之间的行号`],
  [/^holds (\d+) entries$/, (m) => `已有 ${m[1]} 个条目`],
  [/^x \+ w must be at most 12 \(the grid's columns\), got (\d+)$/, (m) => `x + w 不能超过 12（网格的列数），实际为 ${m[1]}`],
  // Metadata kinds.
  [new RegExp(`^${q} is not a segment of (\\S+)$`), (m) => `"${m[1]}" 不是 ${m[2]} 的细分`],
  [new RegExp(`^(view|form) ${q} is already the default \\1 of (\\S+)$`), (m) => `${m[1] === 'view' ? '视图' : '表单'} "${m[2]}" 已是 ${m[3]} 的默认${m[1] === 'view' ? '视图' : '表单'}`],
  [/^is not a valid cron expression: (.*)$/, (m) => `不是有效的 cron 表达式：${m[1]}`],
  [/^is not a lookup of (\S+) to (\S+)$/, (m) => `不是 ${m[1]} 指向 ${m[2]} 的查找字段`],
  [new RegExp(`^${q} is not a date or datetime field of (\\S+)$`), (m) => `"${m[1]}" 不是 ${m[2]} 的日期或日期时间字段`],
  [new RegExp(`^${q} is not a number field of (\\S+)$`), (m) => `"${m[1]}" 不是 ${m[2]} 的数值字段`],
  [new RegExp(`^${q} is final: no transition leaves it$`), (m) => `"${m[1]}" 是终止状态：不能有离开它的流转`],
  [new RegExp(`^${q} must be a date or datetime field of (\\S+)$`), (m) => `"${m[1]}" 必须是 ${m[2]} 的日期或日期时间字段`],
  [new RegExp(`^${q} is not a known IANA time zone$`), (m) => `"${m[1]}" 不是已知的 IANA 时区`],
  [new RegExp(`^${q} is still a state: only removed states are mapped$`), (m) => `"${m[1]}" 仍是一个状态：只能映射已删除的状态`],
  [new RegExp(`^refers to view ${q}, which does not exist$`), (m) => `引用的视图 "${m[1]}" 不存在`],
  [new RegExp(`^view ${q} shows (\\S+), not (\\S+)$`), (m) => `视图 "${m[1]}" 显示的是 ${m[2]}，而不是 ${m[3]}`],
  [/^formulas and rollups read each other in a circle across records: (.*); no value would settle$/, (m) => `公式与汇总跨记录相互读取形成循环：${m[1]}；其值无法确定`],
  [new RegExp(`^${q} must be a unique field of (\\S+) to upsert by$`), (m) => `"${m[1]}" 必须是 ${m[2]} 的唯一字段才能据此更新或插入`],
  [/^must name an earlier target \((.*)\)$/, (m) => `必须指定更早的目标（${m[1] === 'none' ? '无' : m[1]}）`],
  [new RegExp(`^is the address of mail channel ${q} already$`), (m) => `已是邮件通道 "${m[1]}" 的地址`],
  [new RegExp(`^removing workflow ${q} leaves (\\d+) (\\S+) record\\(s\\) in state ${q}; keep the workflow or move them first$`), (m) => `删除流程 "${m[1]}" 会使 ${m[2]} 条 ${m[3]} 记录停留在状态 "${m[4]}"；请保留该流程或先迁移这些记录`],
  [new RegExp(`^(\\d+) (\\S+) record\\(s\\) are in state ${q}, which this change removes: map it to a current state in stateMapping$`), (m) => `${m[1]} 条 ${m[2]} 记录处于状态 "${m[3]}"，而此变更删除了它：请在 stateMapping 中把它映射到现有状态`],
  // Templates, archives and bundles.
  [/^(\S+) is a (\w+): only plain files and folders are allowed$/, (m) => `${m[1]} 是 ${m[2]}：只允许普通文件和文件夹`],
  [/^has no (\S+)$/, (m) => `缺少 ${m[1]}`],
  [/^(\S+) is not valid JSON: (.*)$/, (m) => `${m[1]} 不是合法的 JSON：${m[2]}`],
  [/^(\S+) must hold a JSON array of records$/, (m) => `${m[1]} 必须是记录组成的 JSON 数组`],
  [/^(\S+) holds (\d+) records, the manifest says (\d+)$/, (m) => `${m[1]} 有 ${m[2]} 条记录，清单写的是 ${m[3]}`],
  [new RegExp(`^${q} appears twice$`), (m) => `"${m[1]}" 出现了两次`],
  [new RegExp(`^holds template ${q} (\\S+)$`), (m) => `包含模板 "${m[1]}" ${m[2]}`],
  [new RegExp(`^the admin already has a (\\w+) of their own named ${q}: rename or remove it first$`), (m) => `管理员已有自己的同名 ${m[1]} "${m[2]}"：请先重命名或删除它`],
  [new RegExp(`^(\\w+) ${q} is defined by templates (.*), but (.*) does not share it: an item is shared only when every template defining it lists it under "shares"$`), (m) => `${m[1]} "${m[2]}" 由模板 ${m[3]} 定义，但 ${m[4]} 未共享它：只有定义它的每个模板都在 "shares" 中列出时，该项才是共享的`],
  [/^templates (\S+) and (\S+) both define this with different values \((.*) and (.*)\)$/, (m) => `模板 ${m[1]} 与 ${m[2]} 对此给出了不同的定义（${m[3]} 与 ${m[4]}）`],
  [/^needs (\S+) (\S+) installed$/, (m) => `需要安装 ${m[1]} ${m[2]}`],
  [/^needs (\S+)$/, (m) => `需要 ${m[1]}`],
  [/^must be (\d+)$/, (m) => `必须是 ${m[1]}`],
  [/^repeats template (\S+)$/, (m) => `重复了模板 ${m[1]}`],
  [/^repeats (.+)$/, (m) => `重复了 ${m[1]}`],
  [new RegExp(`^${q} is not another module of this template$`), (m) => `"${m[1]}" 不是此模板的另一个模块`],
  [new RegExp(`^(\\w+) ${q} is already in module ${q}$`), (m) => `${m[1]} "${m[2]}" 已在模块 "${m[3]}" 中`],
  [new RegExp(`^is missing: module ${q} lists (\\w+) ${q}$`), (m) => `缺失：模块 "${m[1]}" 列出了 ${m[2]} "${m[3]}"`],
  [/^is not an item of this template$/, () => '不是此模板的条目'],
  [new RegExp(`^${q} is not a dashboard of this template$`), (m) => `"${m[1]}" 不是此模板的仪表板`],
  [/^must be a folder named after a metadata kind \((.*)\)$/, (m) => `必须是以元数据类型命名的文件夹（${m[1]}）`],
  [new RegExp(`^${q} is not a module of (\\S+) \\(modules: (.*)\\)$`), (m) => `"${m[1]}" 不是 ${m[2]} 的模块（模块：${m[3]}）`],
];

/** The fixed phrasings, each matched whole (detail-text.ts tries them before its own rules: none of those is more exact). */
export const exactDetailRules: DetailRule[] = Object.entries(exact).map(([en, zh]): DetailRule => [new RegExp(`^${en.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`), () => zh]);

/** The phrasings with values in them (tried after detail-text.ts's own rules). */
export const routeDetailRules: DetailRule[] = patterns;
