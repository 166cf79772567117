/* Generated from schemas/ by engine/metadata/generate-types.ts — do not edit. Run: npx tsx engine/metadata/generate-types.ts */

/**
 * Text shown to people: one string, or one per locale.
 */
export type LocalizedText =
  | string
  | {
      en?: string;
      zh?: string;
      [k: string]: string | undefined;
    };
/**
 * A field of the entity, a part of a composite field (`address.city`), or a field reached through lookups (`account.owner`): up to three camelCase names joined by dots. Every segment is checked against the caller's field access: a path through a field the caller cannot read is refused.
 */
export type FieldPath = string;
/**
 * One widget, selected by `type`.
 */
export type DashboardWidget = (
  | MetricWidget
  | BarWidget
  | LineWidget
  | PieWidget
  | FunnelWidget
  | TableWidget
  | PivotWidget
  | SlaWidget
  | QualityWidget
) & {
  /**
   * metric: one number; bar: a value per group (stacked with `series`); line: a value over time; pie: shares per group; funnel: records per workflow state; table: a list of records; pivot: rows × columns with subtotals; sla: time in each workflow state against its target. quality: the data quality of the entity's records — score, completeness, invalid values, duplicates, records not touched for `staleDays`.
   */
  type: "metric" | "bar" | "line" | "pie" | "funnel" | "table" | "pivot" | "sla" | "quality";
};
/**
 * A value (equality) or an object of operators that must all hold.
 *
 * This interface was referenced by `RecordFilter`'s JSON-Schema definition
 * via the `patternProperty` "^[a-z][a-zA-Z0-9]{0,62}(\.[a-z][a-zA-Z0-9]{0,62}){0,2}$".
 */
export type FieldCondition = FilterValue | FilterOperators;
/**
 * A value compared with a field. Dates and datetimes are ISO 8601 strings; null means absent.
 */
export type FilterValue = string | number | boolean | null;
/**
 * A field to group by (a picklist, a lookup, a lookup path such as `account.industry`, a boolean…), or a date field in calendar buckets.
 */
export type GroupKey =
  | FieldPath
  | {
      field: FieldPath;
      /**
       * Calendar bucket of a date or datetime field (weeks start on Monday; datetimes in the server's time zone).
       */
      bucket?: "day" | "week" | "month" | "quarter" | "year";
    };
/**
 * Up to 8 comma-separated field paths, most significant first; a leading '-' sorts that key descending ('+' or nothing, ascending): "-amount,name". Multi-valued fields cannot be sorted on.
 */
export type SortSpec = string;
/**
 * One field of an entity. `type` selects the field type; each type allows its own options.
 */
export type FieldDefinition = {
  /**
   * The field type.
   */
  type:
    | "text"
    | "textarea"
    | "email"
    | "phone"
    | "url"
    | "integer"
    | "number"
    | "currency"
    | "percent"
    | "boolean"
    | "date"
    | "datetime"
    | "picklist"
    | "multipicklist"
    | "lookup"
    | "autonumber"
    | "formula"
    | "rollup"
    | "address"
    | "consent"
    | "user"
    | "polymorphicLookup"
    | "multiLookup"
    | "file";
} & (
  | TextField
  | TextareaField
  | EmailField
  | PhoneField
  | UrlField
  | IntegerField
  | NumberField
  | CurrencyField
  | PercentField
  | BooleanField
  | DateField
  | DatetimeField
  | PicklistField
  | MultipicklistField
  | LookupField
  | AutonumberField
  | FormulaField
  | RollupField
  | AddressField
  | ConsentField
  | UserField
  | PolymorphicLookupField
  | MultiLookupField
  | FileField
);
/**
 * Which records a grant covers: false (none), own (records the user owns), team (records owned by anyone in the user's teams or in teams below them in the hierarchy), all. A record out of scope does not exist for the user: 404, absent from lists and counts.
 */
export type RecordScope = false | "own" | "team" | "all";
/**
 * hidden: never sent, and refused in filters, sorts, lookups paths and writes. read: sent, not writable. edit: sent and writable where the role may create or update the record.
 */
export type FieldAccess = "hidden" | "read" | "edit";
/**
 * @minItems 4
 * @maxItems 4
 */
export type Ascending = [number, number, number, number, ...number[]];
/**
 * @minItems 4
 * @maxItems 4
 */
export type Descending = [number, number, number, number, ...number[]];
/**
 * A template's name: lower-case kebab-case (`b2b-sales`, `field-service`), like a package name, so that it is safe in URLs, file and archive names.
 */
export type TemplateName = string;
/**
 * A semantic version (semver.org 2.0.0): MAJOR.MINOR.PATCH with an optional pre-release and build.
 */
export type SemanticVersion = string;
/**
 * A range of versions in npm's syntax: `^1.2.0`, `~1.2`, `>=1.0.0 <2.0.0`, `1.x`, `1.0.0 - 1.4.0`, alternatives joined by `||`, or `*`. The shape is checked here, its meaning when the template is loaded.
 */
export type SemverRange = string;
/**
 * Names of items of one kind.
 *
 * @minItems 1
 * @maxItems 500
 *
 * Items: A metadata name: camelCase, starting with a lower-case letter.
 */
export type ItemNames = [string, ...string[]];
/**
 * Names of actions defined in the workflow's `actions`, run in this order.
 *
 * @minItems 1
 * @maxItems 50
 *
 * Items: A metadata name: camelCase, starting with a lower-case letter.
 */
export type ActionList = [string, ...string[]];
/**
 * An event that runs actions, selected by `on`. Triggers run in system mode (logged), so a trigger's actions are not limited by any user's role.
 */
export type WorkflowTrigger = (CreateTrigger | UpdateTrigger | ScheduleTrigger | DateTrigger | InStateTrigger) & {
  /**
   * The kind of event.
   */
  on: "create" | "update" | "schedule" | "date" | "inState";
};
/**
 * An IANA time zone name, e.g. Asia/Shanghai or UTC.
 */
export type TimeZone = string;
/**
 * A signed length of time relative to a date: "-3d" is three days before, "2h" or "+2h" two hours after, "0d" on the date itself. Units m, h, d, w.
 */
export type Offset = string;
/**
 * A positive length of time: a number and a unit, m (minutes), h (hours), d (days) or w (weeks): "48h", "3d".
 */
export type Duration = string;
/**
 * One thing a transition, trigger or approval does, selected by `type`. Expressions in an action are JSONata over the record after the save that caused it.
 */
export type WorkflowAction = (
  | SetFieldsAction
  | CreateRecordAction
  | UpdateRelatedAction
  | NotifyAction
  | WebhookAction
  | StartApprovalAction
  | TransitionAction
) & {
  /**
   * The kind of action.
   */
  type: "setFields" | "createRecord" | "updateRelated" | "notify" | "webhook" | "startApproval" | "transition";
};

/**
 * Every kind of metadata document, by kind.
 */
export interface MetadataDocuments {
  dashboard?: DashboardDefinition;
  entity?: EntityDefinition;
  field?: FieldDefinition;
  form?: FormDefinition;
  inbound?: InboundDefinition;
  mailChannel?: MailChannelDefinition;
  report?: ReportDefinition;
  role?: RoleDefinition;
  segment?: SegmentDefinition;
  subscription?: SubscriptionDefinition;
  template?: TemplateManifest;
  view?: ViewDefinition;
  workflow?: WorkflowDefinition;
}
/**
 * Widgets over aggregations of records, laid out on a 12-column grid, with filters (date range, owner, team, picklists) applied to every widget. Every widget runs with the viewer's permissions: records out of the viewer's scope are not counted, and a widget over a field the viewer cannot read answers with an error, not with empty figures. Checked on save: entities, fields, workflows, the grid.
 */
export interface DashboardDefinition {
  /**
   * The metadata kind.
   */
  kind: "dashboard";
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  name: string;
  title: LocalizedText;
  description?: LocalizedText;
  /**
   * Filters the viewer may set (GET /api/dashboards/{name}?filters=), keyed by name; each narrows every widget it applies to.
   */
  filters?: {
    [k: string]: DashboardFilter;
  };
  /**
   * The widgets keyed by name; their place comes from `layout`, so an overlay can add, move or drop one alone.
   */
  widgets: {
    [k: string]: DashboardWidget;
  };
}
/**
 * dateRange: from/to dates on a date or datetime field per entity (in the server's time zone); owner: records owned by given users; team: records owned by members of a team or the teams below it; picklist: values of a field per entity.
 */
export interface DashboardFilter {
  /**
   * What the filter selects on.
   */
  type: "dateRange" | "owner" | "team" | "picklist";
  label?: LocalizedText;
  /**
   * For dateRange and picklist: the field it applies to, per entity; widgets over other entities are not narrowed by it. owner and team apply to every entity (its owner).
   */
  fields?: {
    [k: string]: FieldPath;
  };
}
/**
 * One number (e.g. open pipeline amount), optionally beside the same number over the previous period of the dashboard's date range.
 */
export interface MetricWidget {
  /**
   * The kind of widget.
   */
  type: "metric";
  title: LocalizedText;
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  entity: string;
  filter?: RecordFilter;
  /**
   * Dashboard filters (by name) this widget is not narrowed by.
   *
   * @maxItems 20
   *
   * Items: A metadata name: camelCase, starting with a lower-case letter.
   */
  ignoreFilters?: string[];
  layout: WidgetLayout;
  measure: WidgetMeasure;
  ratio?: WidgetRatio;
  /**
   * Also compute the value over the period just before the dashboard's date range (same length) and the relative change.
   */
  compare?: "previousPeriod";
}
/**
 * A MongoDB-like filter, the one the records API accepts (engine/filter/parse-filter.ts): `{ field: value }` means equal, `{ field: { $op: value } }` applies operators, `$and` / `$or` / `$nor` combine filters; at most 8 levels deep and 200 conditions. Absent and null are the same: `{ f: null }` matches records without f. The server parses it into the typed filter tree, checks every path against the entity and the caller's field access, and refuses — never drops — what it cannot apply.
 */
export interface RecordFilter {
  /**
   * Every filter must match.
   *
   * @minItems 1
   * @maxItems 50
   */
  $and?: [RecordFilter, ...RecordFilter[]];
  /**
   * At least one filter must match.
   *
   * @minItems 1
   * @maxItems 50
   */
  $or?: [RecordFilter, ...RecordFilter[]];
  /**
   * No filter may match.
   *
   * @minItems 1
   * @maxItems 50
   */
  $nor?: [RecordFilter, ...RecordFilter[]];
  [k: string]: FieldCondition | [RecordFilter, ...RecordFilter[]] | undefined;
}
/**
 * Operators on one field; all must hold. On a multipicklist, operators match when any element matches.
 */
export interface FilterOperators {
  $eq?: FilterValue;
  $ne?: FilterValue;
  $gt?: FilterValue;
  $gte?: FilterValue;
  $lt?: FilterValue;
  $lte?: FilterValue;
  /**
   * Equal to one of these values.
   *
   * @maxItems 500
   */
  $in?: FilterValue[];
  /**
   * Equal to none of these values; matches records without the field.
   *
   * @maxItems 500
   */
  $nin?: FilterValue[];
  /**
   * true: the field has a value; false: it has none.
   */
  $exists?: boolean;
  /**
   * A regular expression on a text field; refused when prone to catastrophic backtracking.
   */
  $regex?: string;
  /**
   * Flags of $regex: i (ignore case), m (multi-line), s (dot matches newline).
   */
  $options?: string;
  $not?: FilterOperators;
}
/**
 * The widget's place on a 12-column grid: column x (0–11), row y, width w in columns, height h in rows. x + w ≤ 12 and no overlap are checked on save.
 */
export interface WidgetLayout {
  /**
   * First column, from 0.
   */
  x: number;
  /**
   * First row, from 0.
   */
  y: number;
  /**
   * Width in columns.
   */
  w: number;
  /**
   * Height in rows.
   */
  h: number;
}
/**
 * An operation over the matching records: count counts records; countDistinct counts distinct values of a field; sum and avg need a number field; min and max a number, date or text field.
 */
export interface WidgetMeasure {
  /**
   * The operation.
   */
  op: "count" | "countDistinct" | "sum" | "avg" | "min" | "max";
  field?: FieldPath;
}
/**
 * The measure over the records that also match `filter`, divided by the measure over all the widget's records (per group): a rate between 0 and 1.
 */
export interface WidgetRatio {
  filter: RecordFilter;
}
/**
 * A bar per group (e.g. amount per stage); with `series`, bars split (stacked) by a second key.
 */
export interface BarWidget {
  /**
   * The kind of widget.
   */
  type: "bar";
  title: LocalizedText;
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  entity: string;
  filter?: RecordFilter;
  /**
   * Dashboard filters (by name) this widget is not narrowed by.
   *
   * @maxItems 20
   *
   * Items: A metadata name: camelCase, starting with a lower-case letter.
   */
  ignoreFilters?: string[];
  layout: WidgetLayout;
  groupBy: GroupKey;
  series?: GroupKey;
  /**
   * Stack the series (true) or place them side by side.
   */
  stacked?: boolean;
  measure: WidgetMeasure;
  ratio?: WidgetRatio;
  /**
   * Order of groups: by value or by key, `-` descending. Default: by key (time order for buckets).
   */
  sort?: "value" | "-value" | "key" | "-key";
  /**
   * Only this many groups, after sorting.
   */
  limit?: number;
}
/**
 * A value over time (e.g. won amount per month).
 */
export interface LineWidget {
  /**
   * The kind of widget.
   */
  type: "line";
  title: LocalizedText;
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  entity: string;
  filter?: RecordFilter;
  /**
   * Dashboard filters (by name) this widget is not narrowed by.
   *
   * @maxItems 20
   *
   * Items: A metadata name: camelCase, starting with a lower-case letter.
   */
  ignoreFilters?: string[];
  layout: WidgetLayout;
  groupBy: GroupKey;
  series?: GroupKey;
  measure: WidgetMeasure;
  ratio?: WidgetRatio;
}
/**
 * Shares of a whole per group (e.g. cases per channel).
 */
export interface PieWidget {
  /**
   * The kind of widget.
   */
  type: "pie";
  title: LocalizedText;
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  entity: string;
  filter?: RecordFilter;
  /**
   * Dashboard filters (by name) this widget is not narrowed by.
   *
   * @maxItems 20
   *
   * Items: A metadata name: camelCase, starting with a lower-case letter.
   */
  ignoreFilters?: string[];
  layout: WidgetLayout;
  groupBy: GroupKey;
  measure: WidgetMeasure;
  /**
   * Draw as a donut.
   */
  donut?: boolean;
  /**
   * Only the largest slices, this many.
   */
  limit?: number;
}
/**
 * Records (or a measure) per state of a workflow, in the workflow's order of states; states with no records show 0.
 */
export interface FunnelWidget {
  /**
   * The kind of widget.
   */
  type: "funnel";
  title: LocalizedText;
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  entity: string;
  filter?: RecordFilter;
  /**
   * Dashboard filters (by name) this widget is not narrowed by.
   *
   * @maxItems 20
   *
   * Items: A metadata name: camelCase, starting with a lower-case letter.
   */
  ignoreFilters?: string[];
  layout: WidgetLayout;
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  workflow: string;
  measure?: WidgetMeasure;
}
/**
 * A short list of records (e.g. the ten largest open deals).
 */
export interface TableWidget {
  /**
   * The kind of widget.
   */
  type: "table";
  title: LocalizedText;
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  entity: string;
  filter?: RecordFilter;
  /**
   * Dashboard filters (by name) this widget is not narrowed by.
   *
   * @maxItems 20
   *
   * Items: A metadata name: camelCase, starting with a lower-case letter.
   */
  ignoreFilters?: string[];
  layout: WidgetLayout;
  /**
   * The fields shown, in this order.
   *
   * @minItems 1
   * @maxItems 50
   */
  columns: [FieldPath, ...FieldPath[]];
  sort?: SortSpec;
  /**
   * At most this many rows.
   */
  limit?: number;
}
/**
 * A measure for each combination of a row key and a column key, with row, column and grand totals.
 */
export interface PivotWidget {
  /**
   * The kind of widget.
   */
  type: "pivot";
  title: LocalizedText;
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  entity: string;
  filter?: RecordFilter;
  /**
   * Dashboard filters (by name) this widget is not narrowed by.
   *
   * @maxItems 20
   *
   * Items: A metadata name: camelCase, starting with a lower-case letter.
   */
  ignoreFilters?: string[];
  layout: WidgetLayout;
  rows: GroupKey;
  columns: GroupKey;
  measure: WidgetMeasure;
}
/**
 * Time spent in each state of a workflow against the state's `slaHours`, from the workflow history (needs read access to every record of the entity).
 */
export interface SlaWidget {
  /**
   * The kind of widget.
   */
  type: "sla";
  title: LocalizedText;
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  entity: string;
  filter?: RecordFilter;
  /**
   * Dashboard filters (by name) this widget is not narrowed by.
   *
   * @maxItems 20
   *
   * Items: A metadata name: camelCase, starting with a lower-case letter.
   */
  ignoreFilters?: string[];
  layout: WidgetLayout;
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  workflow: string;
}
/**
 * The data quality of the records the viewer may read (GET /api/quality/{entity}/report): a score (0–100) averaging completeness, valid values, records in no duplicate cluster and records touched within `staleDays`; with each part and the least complete fields.
 */
export interface QualityWidget {
  /**
   * The kind of widget.
   */
  type: "quality";
  title: LocalizedText;
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  entity: string;
  filter?: RecordFilter;
  /**
   * Dashboard filters (by name) this widget is not narrowed by.
   *
   * @maxItems 20
   *
   * Items: A metadata name: camelCase, starting with a lower-case letter.
   */
  ignoreFilters?: string[];
  layout: WidgetLayout;
  /**
   * Records not updated for this many days count as stale (default 180).
   */
  staleDays?: number;
}
/**
 * A kind of business record (account, deal, case…): its fields, rules and indexes. Every named collection is an object keyed by name, so that an admin overlay can add or change one member without restating the others.
 */
export interface EntityDefinition {
  kind: "entity";
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  name: string;
  label: LocalizedText;
  pluralLabel?: LocalizedText;
  description?: LocalizedText;
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  titleField?: string;
  menuGroup?: LocalizedText;
  /**
   * Records may belong to teams as well as to their owner: the `teams` system field (team names), set through POST /api/data/{entity}/{id}/reassign by callers with the reassign grant, each checked to be an existing team. The `team` scope then covers a record owned by a member of the caller's teams (or the teams below them) or carrying one of those teams. Off by default: the team scope stays a test of the owner alone.
   */
  recordTeams?: boolean;
  fields: {
    [k: string]: FieldDefinition;
  };
  /**
   * Cross-field validation rules: when the condition is true, the record is refused with the message.
   */
  rules?: {
    [k: string]: Rule;
  };
  /**
   * Records that share the values of these fields are duplicates: warn, or block the write.
   */
  duplicateRules?: {
    [k: string]: DuplicateRule;
  };
  /**
   * Cleansing rules per field, applied on every write and import before validation, and to the keys an import resolves lookups by: synonyms ("technolgy" → "technology"), trimming, letter case, full-width to half-width.
   */
  cleansing?: {
    [k: string]: CleansingRule;
  };
  /**
   * Indexes beyond those the engine derives (unique fields, lookups, view filters and sorts).
   */
  indexes?: {
    [k: string]: Index;
  };
  /**
   * What erasure does to a record that holds a person's data.
   */
  privacy?: {
    erasure?: "anonymize" | "delete";
    /**
     * A metadata name: camelCase, starting with a lower-case letter.
     */
    subjectField?: string;
    retentionDays?: number;
    retentionAction?: "anonymize" | "delete";
  };
}
/**
 * Single-line text.
 */
export interface TextField {
  type: "text";
  label?: LocalizedText;
  help?: LocalizedText;
  description?: LocalizedText;
  required?: boolean;
  /**
   * No two records may hold the same value (absent values do not collide).
   */
  unique?: boolean;
  /**
   * Keep an index on this field for filters and sorts.
   */
  index?: boolean;
  /**
   * The field holds personal data: exported on a subject request, erased on erasure, masked in logs.
   */
  personal?: boolean;
  /**
   * A constant default applied on create when no value is given.
   */
  default?: string | number | boolean | unknown[] | {};
  /**
   * A JSONata expression, parsed and checked when the metadata is saved.
   */
  defaultExpression?: string;
  minLength?: number;
  maxLength?: number;
  /**
   * A regular expression the value must match; refused when prone to catastrophic backtracking.
   */
  pattern?: string;
}
/**
 * Multi-line text.
 */
export interface TextareaField {
  type: "textarea";
  label?: LocalizedText;
  help?: LocalizedText;
  description?: LocalizedText;
  required?: boolean;
  /**
   * No two records may hold the same value (absent values do not collide).
   */
  unique?: boolean;
  /**
   * Keep an index on this field for filters and sorts.
   */
  index?: boolean;
  /**
   * The field holds personal data: exported on a subject request, erased on erasure, masked in logs.
   */
  personal?: boolean;
  /**
   * A constant default applied on create when no value is given.
   */
  default?: string | number | boolean | unknown[] | {};
  /**
   * A JSONata expression, parsed and checked when the metadata is saved.
   */
  defaultExpression?: string;
  minLength?: number;
  maxLength?: number;
}
/**
 * An e-mail address.
 */
export interface EmailField {
  type: "email";
  label?: LocalizedText;
  help?: LocalizedText;
  description?: LocalizedText;
  required?: boolean;
  /**
   * No two records may hold the same value (absent values do not collide).
   */
  unique?: boolean;
  /**
   * Keep an index on this field for filters and sorts.
   */
  index?: boolean;
  /**
   * The field holds personal data: exported on a subject request, erased on erasure, masked in logs.
   */
  personal?: boolean;
  /**
   * A constant default applied on create when no value is given.
   */
  default?: string | number | boolean | unknown[] | {};
  /**
   * A JSONata expression, parsed and checked when the metadata is saved.
   */
  defaultExpression?: string;
  maxLength?: number;
}
/**
 * A phone number (digits, spaces, + - ( ) .).
 */
export interface PhoneField {
  type: "phone";
  label?: LocalizedText;
  help?: LocalizedText;
  description?: LocalizedText;
  required?: boolean;
  /**
   * No two records may hold the same value (absent values do not collide).
   */
  unique?: boolean;
  /**
   * Keep an index on this field for filters and sorts.
   */
  index?: boolean;
  /**
   * The field holds personal data: exported on a subject request, erased on erasure, masked in logs.
   */
  personal?: boolean;
  /**
   * A constant default applied on create when no value is given.
   */
  default?: string | number | boolean | unknown[] | {};
  /**
   * A JSONata expression, parsed and checked when the metadata is saved.
   */
  defaultExpression?: string;
  maxLength?: number;
}
/**
 * An http(s) address.
 */
export interface UrlField {
  type: "url";
  label?: LocalizedText;
  help?: LocalizedText;
  description?: LocalizedText;
  required?: boolean;
  /**
   * No two records may hold the same value (absent values do not collide).
   */
  unique?: boolean;
  /**
   * Keep an index on this field for filters and sorts.
   */
  index?: boolean;
  /**
   * The field holds personal data: exported on a subject request, erased on erasure, masked in logs.
   */
  personal?: boolean;
  /**
   * A constant default applied on create when no value is given.
   */
  default?: string | number | boolean | unknown[] | {};
  /**
   * A JSONata expression, parsed and checked when the metadata is saved.
   */
  defaultExpression?: string;
  maxLength?: number;
}
/**
 * A whole number.
 */
export interface IntegerField {
  type: "integer";
  label?: LocalizedText;
  help?: LocalizedText;
  description?: LocalizedText;
  required?: boolean;
  /**
   * No two records may hold the same value (absent values do not collide).
   */
  unique?: boolean;
  /**
   * Keep an index on this field for filters and sorts.
   */
  index?: boolean;
  /**
   * The field holds personal data: exported on a subject request, erased on erasure, masked in logs.
   */
  personal?: boolean;
  /**
   * A constant default applied on create when no value is given.
   */
  default?: string | number | boolean | unknown[] | {};
  /**
   * A JSONata expression, parsed and checked when the metadata is saved.
   */
  defaultExpression?: string;
  min?: number;
  max?: number;
}
/**
 * A decimal number.
 */
export interface NumberField {
  type: "number";
  label?: LocalizedText;
  help?: LocalizedText;
  description?: LocalizedText;
  required?: boolean;
  /**
   * No two records may hold the same value (absent values do not collide).
   */
  unique?: boolean;
  /**
   * Keep an index on this field for filters and sorts.
   */
  index?: boolean;
  /**
   * The field holds personal data: exported on a subject request, erased on erasure, masked in logs.
   */
  personal?: boolean;
  /**
   * A constant default applied on create when no value is given.
   */
  default?: string | number | boolean | unknown[] | {};
  /**
   * A JSONata expression, parsed and checked when the metadata is saved.
   */
  defaultExpression?: string;
  min?: number;
  max?: number;
  /**
   * Decimal places kept.
   */
  scale?: number;
}
/**
 * An amount of money.
 */
export interface CurrencyField {
  type: "currency";
  label?: LocalizedText;
  help?: LocalizedText;
  description?: LocalizedText;
  required?: boolean;
  /**
   * No two records may hold the same value (absent values do not collide).
   */
  unique?: boolean;
  /**
   * Keep an index on this field for filters and sorts.
   */
  index?: boolean;
  /**
   * The field holds personal data: exported on a subject request, erased on erasure, masked in logs.
   */
  personal?: boolean;
  /**
   * A constant default applied on create when no value is given.
   */
  default?: string | number | boolean | unknown[] | {};
  /**
   * A JSONata expression, parsed and checked when the metadata is saved.
   */
  defaultExpression?: string;
  min?: number;
  max?: number;
  /**
   * ISO 4217 code, e.g. CNY.
   */
  currency?: string;
}
/**
 * A percentage, 0–100 unless min/max say otherwise.
 */
export interface PercentField {
  type: "percent";
  label?: LocalizedText;
  help?: LocalizedText;
  description?: LocalizedText;
  required?: boolean;
  /**
   * No two records may hold the same value (absent values do not collide).
   */
  unique?: boolean;
  /**
   * Keep an index on this field for filters and sorts.
   */
  index?: boolean;
  /**
   * The field holds personal data: exported on a subject request, erased on erasure, masked in logs.
   */
  personal?: boolean;
  /**
   * A constant default applied on create when no value is given.
   */
  default?: string | number | boolean | unknown[] | {};
  /**
   * A JSONata expression, parsed and checked when the metadata is saved.
   */
  defaultExpression?: string;
  min?: number;
  max?: number;
}
/**
 * Yes or no.
 */
export interface BooleanField {
  type: "boolean";
  label?: LocalizedText;
  help?: LocalizedText;
  description?: LocalizedText;
  required?: boolean;
  /**
   * No two records may hold the same value (absent values do not collide).
   */
  unique?: boolean;
  /**
   * Keep an index on this field for filters and sorts.
   */
  index?: boolean;
  /**
   * The field holds personal data: exported on a subject request, erased on erasure, masked in logs.
   */
  personal?: boolean;
  /**
   * A constant default applied on create when no value is given.
   */
  default?: string | number | boolean | unknown[] | {};
  /**
   * A JSONata expression, parsed and checked when the metadata is saved.
   */
  defaultExpression?: string;
}
/**
 * A calendar date, YYYY-MM-DD.
 */
export interface DateField {
  type: "date";
  label?: LocalizedText;
  help?: LocalizedText;
  description?: LocalizedText;
  required?: boolean;
  /**
   * No two records may hold the same value (absent values do not collide).
   */
  unique?: boolean;
  /**
   * Keep an index on this field for filters and sorts.
   */
  index?: boolean;
  /**
   * The field holds personal data: exported on a subject request, erased on erasure, masked in logs.
   */
  personal?: boolean;
  /**
   * A constant default applied on create when no value is given.
   */
  default?: string | number | boolean | unknown[] | {};
  /**
   * A JSONata expression, parsed and checked when the metadata is saved.
   */
  defaultExpression?: string;
  min?: string;
  max?: string;
}
/**
 * An instant, ISO 8601, stored in UTC.
 */
export interface DatetimeField {
  type: "datetime";
  label?: LocalizedText;
  help?: LocalizedText;
  description?: LocalizedText;
  required?: boolean;
  /**
   * No two records may hold the same value (absent values do not collide).
   */
  unique?: boolean;
  /**
   * Keep an index on this field for filters and sorts.
   */
  index?: boolean;
  /**
   * The field holds personal data: exported on a subject request, erased on erasure, masked in logs.
   */
  personal?: boolean;
  /**
   * A constant default applied on create when no value is given.
   */
  default?: string | number | boolean | unknown[] | {};
  /**
   * A JSONata expression, parsed and checked when the metadata is saved.
   */
  defaultExpression?: string;
  min?: string;
  max?: string;
}
/**
 * One value from a list.
 */
export interface PicklistField {
  type: "picklist";
  label?: LocalizedText;
  help?: LocalizedText;
  description?: LocalizedText;
  required?: boolean;
  /**
   * No two records may hold the same value (absent values do not collide).
   */
  unique?: boolean;
  /**
   * Keep an index on this field for filters and sorts.
   */
  index?: boolean;
  /**
   * The field holds personal data: exported on a subject request, erased on erasure, masked in logs.
   */
  personal?: boolean;
  /**
   * A constant default applied on create when no value is given.
   */
  default?: string | number | boolean | unknown[] | {};
  /**
   * A JSONata expression, parsed and checked when the metadata is saved.
   */
  defaultExpression?: string;
  /**
   * The allowed values, keyed by the stored value, in display order.
   */
  options: {
    [k: string]: {
      label?: LocalizedText;
      /**
       * A CSS colour for badges and kanban columns.
       */
      color?: string;
      /**
       * Kept for existing records, refused for new values.
       */
      inactive?: boolean;
    };
  };
}
/**
 * Several values from a list.
 */
export interface MultipicklistField {
  type: "multipicklist";
  label?: LocalizedText;
  help?: LocalizedText;
  description?: LocalizedText;
  required?: boolean;
  /**
   * No two records may hold the same value (absent values do not collide).
   */
  unique?: boolean;
  /**
   * Keep an index on this field for filters and sorts.
   */
  index?: boolean;
  /**
   * The field holds personal data: exported on a subject request, erased on erasure, masked in logs.
   */
  personal?: boolean;
  /**
   * A constant default applied on create when no value is given.
   */
  default?: string | number | boolean | unknown[] | {};
  /**
   * A JSONata expression, parsed and checked when the metadata is saved.
   */
  defaultExpression?: string;
  /**
   * The allowed values, keyed by the stored value, in display order.
   */
  options: {
    [k: string]: {
      label?: LocalizedText;
      /**
       * A CSS colour for badges and kanban columns.
       */
      color?: string;
      /**
       * Kept for existing records, refused for new values.
       */
      inactive?: boolean;
    };
  };
  minItems?: number;
  maxItems?: number;
}
/**
 * A reference to a record of another (or the same) entity.
 */
export interface LookupField {
  type: "lookup";
  label?: LocalizedText;
  help?: LocalizedText;
  description?: LocalizedText;
  required?: boolean;
  /**
   * No two records may hold the same value (absent values do not collide).
   */
  unique?: boolean;
  /**
   * Keep an index on this field for filters and sorts.
   */
  index?: boolean;
  /**
   * The field holds personal data: exported on a subject request, erased on erasure, masked in logs.
   */
  personal?: boolean;
  /**
   * A constant default applied on create when no value is given.
   */
  default?: string | number | boolean | unknown[] | {};
  /**
   * A JSONata expression, parsed and checked when the metadata is saved.
   */
  defaultExpression?: string;
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  to: string;
  /**
   * What deleting the referenced record does. Default restrict.
   */
  onDelete?: "restrict" | "setNull" | "cascade";
  filter?: RecordFilter;
  filterMessage?: LocalizedText;
}
/**
 * A number the engine assigns on create: prefix + zero-padded sequence, never reused.
 */
export interface AutonumberField {
  type: "autonumber";
  label?: LocalizedText;
  help?: LocalizedText;
  description?: LocalizedText;
  /**
   * Keep an index on this field for filters and sorts.
   */
  index?: boolean;
  prefix?: string;
  digits?: number;
  start?: number;
}
/**
 * A read-only value computed by a JSONata expression on every write.
 */
export interface FormulaField {
  type: "formula";
  label?: LocalizedText;
  help?: LocalizedText;
  description?: LocalizedText;
  /**
   * Keep an index on this field for filters and sorts.
   */
  index?: boolean;
  returns: "text" | "number" | "integer" | "currency" | "percent" | "boolean" | "date" | "datetime";
  /**
   * ISO 4217 code of the money a formula returning currency gives, e.g. CNY (as a currency field names its own): lists, records and dashboards write the amount with its sign. Only with returns currency.
   */
  currency?: string;
  /**
   * A JSONata expression, parsed and checked when the metadata is saved.
   */
  expression: string;
}
/**
 * An aggregate of child records that point here through a lookup, kept current as children change.
 */
export interface RollupField {
  type: "rollup";
  label?: LocalizedText;
  help?: LocalizedText;
  description?: LocalizedText;
  /**
   * Keep an index on this field for filters and sorts.
   */
  index?: boolean;
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  from: string;
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  via: string;
  op: "count" | "sum" | "min" | "max" | "avg";
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  field?: string;
}
/**
 * A postal address: street, city, region, postalCode, country.
 */
export interface AddressField {
  type: "address";
  label?: LocalizedText;
  help?: LocalizedText;
  description?: LocalizedText;
  required?: boolean;
  /**
   * Keep an index on this field for filters and sorts.
   */
  index?: boolean;
  /**
   * The field holds personal data: exported on a subject request, erased on erasure, masked in logs.
   */
  personal?: boolean;
  /**
   * A constant default applied on create when no value is given.
   */
  default?: string | number | boolean | unknown[] | {};
  /**
   * A JSONata expression, parsed and checked when the metadata is saved.
   */
  defaultExpression?: string;
}
/**
 * Consent to one purpose of processing: given at, source, withdrawn at.
 */
export interface ConsentField {
  type: "consent";
  label?: LocalizedText;
  help?: LocalizedText;
  description?: LocalizedText;
  required?: boolean;
  /**
   * Keep an index on this field for filters and sorts.
   */
  index?: boolean;
  /**
   * The field holds personal data: exported on a subject request, erased on erasure, masked in logs.
   */
  personal?: boolean;
  /**
   * A constant default applied on create when no value is given.
   */
  default?: string | number | boolean | unknown[] | {};
  purpose?: LocalizedText;
}
/**
 * A user of this CRM (an assignee, an account manager): the user's id. Filters may compare it with `$me`; a record's user field does not change who owns it.
 */
export interface UserField {
  type: "user";
  label?: LocalizedText;
  help?: LocalizedText;
  description?: LocalizedText;
  required?: boolean;
  /**
   * Keep an index on this field for filters and sorts.
   */
  index?: boolean;
  /**
   * The field holds personal data: exported on a subject request, erased on erasure, masked in logs.
   */
  personal?: boolean;
  /**
   * On create, when no value is given, the user who creates the record.
   */
  defaultToCurrentUser?: boolean;
}
/**
 * A reference to a record of one of several entities (an activity's or a note's parent: an account, a deal, a case): stored as `{ "entity", "id" }`. Filter on `<field>.entity` and `<field>.id`; a record's timeline is the records whose field points at it.
 */
export interface PolymorphicLookupField {
  type: "polymorphicLookup";
  label?: LocalizedText;
  help?: LocalizedText;
  description?: LocalizedText;
  required?: boolean;
  /**
   * The entities it may point at (checked on save: each must exist).
   *
   * @minItems 1
   * @maxItems 50
   *
   * Items: A metadata name: camelCase, starting with a lower-case letter.
   */
  to: [string, ...string[]];
  /**
   * What deleting the referenced record does. Default restrict.
   */
  onDelete?: "restrict" | "setNull" | "cascade";
}
/**
 * Links to several records of one entity (many-to-many: a deal's contacts, a product's categories): stored as an array of record ids on this side. Filter on the field with `$eq`/`$in` (the record links that id); list the linked records at GET /api/data/{entity}/{id}/links/{field} and, from the other side, GET /api/data/{target}/{id}/linked-by/{entity}/{field}; link and unlink at POST and DELETE …/links/{field}.
 */
export interface MultiLookupField {
  type: "multiLookup";
  label?: LocalizedText;
  help?: LocalizedText;
  description?: LocalizedText;
  /**
   * At least one link.
   */
  required?: boolean;
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  to: string;
  /**
   * At most this many links (default 100).
   */
  maxItems?: number;
  /**
   * What deleting a linked record does: unlink (the default) removes it from the list; restrict refuses while it is linked.
   */
  onDelete?: "unlink" | "restrict";
  filter?: RecordFilter;
  filterMessage?: LocalizedText;
  /**
   * Attributes of each link (a contact's role in a deal), as field definitions of simple scalar types (text, textarea, email, phone, url, integer, number, currency, percent, boolean, date, datetime, picklist) — checked on save. With them, each element of the value is `{ "id": <record id>, <attribute>: <value>, … }` (a plain id is accepted and stored as `{ "id" }`); filters still match the linked id, and both sides' link lists answer each link's attributes under `links`.
   */
  linkFields?: {
    [k: string]: FieldDefinition;
  };
}
/**
 * Files attached to the record (documents, photos). Each file is uploaded first with POST /api/files (streamed to the data folder; GridFS on MongoDB), then written into the field by its id; the stored value is the file's descriptor {id, name, contentType, size} (a list of them when `multiple`). Whoever may read the record and this field downloads it at GET /api/files/{id}; clearing the field or deleting the record deletes the file.
 */
export interface FileField {
  type: "file";
  label?: LocalizedText;
  help?: LocalizedText;
  description?: LocalizedText;
  /**
   * At least one file.
   */
  required?: boolean;
  /**
   * The files hold personal data (an ID scan, a signed contract): listed on a subject request; erasure and retention take them out of the record and delete them, and scrub their names from the audit trail.
   */
  personal?: boolean;
  /**
   * At most this many bytes per file, enforced while the upload streams (413). The server's cap (CRM_MAX_FILE_BYTES, default 25 MB) bounds it: the smaller of the two applies.
   */
  maxSize?: number;
  /**
   * The media types an upload may have (`application/pdf`, or a wildcard such as `image/*`); an upload of another type is refused (415). Any type when absent.
   *
   * @minItems 1
   * @maxItems 50
   */
  contentTypes?: [string, ...string[]];
  /**
   * Several files: the value is a list.
   */
  multiple?: boolean;
  /**
   * With `multiple`: at most this many files (default 10; checked on save: only with multiple).
   */
  maxItems?: number;
}
export interface Rule {
  /**
   * A JSONata expression, parsed and checked when the metadata is saved.
   */
  when: string;
  message: LocalizedText;
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  field?: string;
}
export interface DuplicateRule {
  label?: LocalizedText;
  /**
   * @minItems 1
   * @maxItems 5
   *
   * Items: A metadata name: camelCase, starting with a lower-case letter.
   */
  match: [string, ...string[]];
  /**
   * block refuses the write (exact and normalized rules; a fuzzy rule, whose check on each write finds likely matches only, with block is refused on save).
   */
  action?: "warn" | "block";
  /**
   * exact: equal stored values (checked on every write); normalized: equal after folding case, spaces, full-width characters, traditional Chinese to simplified and phone formats; fuzzy: text fields similar (edit distance over the words in any order, Latin and Chinese alike, traditional Chinese read as simplified) and the other fields equal after folding. every rule is checked on every write (normalized and fuzzy ones through keys kept beside each record: a fuzzy rule's check finds names that share a word, the scan finds all) and by the duplicate scan.
   */
  method?: "exact" | "normalized" | "fuzzy";
  /**
   * Fuzzy rules: the least similarity (1 = equal) of each text field for two records to be duplicates.
   */
  threshold?: number;
  /**
   * Default region for phone numbers without a +country prefix when the rule compares phones (else the field's cleansing rule's, else none).
   */
  region?: string;
  message?: LocalizedText;
}
export interface CleansingRule {
  /**
   * Source value → the value to keep; compared after the other steps, ignoring letter case.
   */
  synonyms?: {
    [k: string]: string;
  };
  /**
   * Remove leading and trailing spaces and collapse inner runs of spaces to one.
   */
  trim?: boolean;
  /**
   * Letter case to store.
   */
  case?: "lower" | "upper" | "title";
  /**
   * Unicode NFKC: full-width letters, digits and punctuation to half-width.
   */
  halfWidth?: boolean;
  /**
   * Store phone numbers in E.164 (+442079460958), reading numbers without a +country prefix in this default region (ISO 3166 code, e.g. GB, CN); a value that is no phone number is left for validation to refuse.
   */
  phone?: string;
}
export interface Index {
  /**
   * Field names in order; a leading '-' sorts that key descending.
   *
   * @minItems 1
   * @maxItems 5
   */
  fields: [string, ...string[]];
  unique?: boolean;
}
/**
 * How records of one entity are laid out for reading and editing: sections in order, each with columns and fields in order, per-field widgets, help and conditions. A form shapes presentation and input; it grants nothing — the role's field access decides what a user may see or write, and the entity's rules decide what every write must satisfy.
 */
export interface FormDefinition {
  /**
   * The metadata kind.
   */
  kind: "form";
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  name: string;
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  entity: string;
  label: LocalizedText;
  description?: LocalizedText;
  /**
   * The form opened for the entity when none is named. At most one per entity (checked across documents).
   */
  default?: boolean;
  /**
   * What a write naming this form (`?form=`) does with a field its visibleWhen (or its section's) hides: keep the stored or sent value, or clear it.
   */
  hiddenFields?: "keep" | "clear";
  publish?: FormPublish;
  /**
   * Sections keyed by name. Sections are ordered by their `order` number, not by key order or an array: a JSON merge patch replaces arrays whole, so an admin overlay could not insert one section (order 15 between 10 and 20), move one, or drop one (null) without restating every other; and stores do not all keep object key order.
   */
  sections: {
    [k: string]: FormSection;
  };
}
/**
 * How the public web form greets, thanks and limits its visitors.
 */
export interface FormPublish {
  title?: LocalizedText;
  intro?: LocalizedText;
  thankYou?: LocalizedText;
  /**
   * Submissions accepted from one address per window; more are answered 429.
   */
  rateLimit?: {
    /**
     * Submissions per window and address.
     */
    max?: number;
    /**
     * The window's length in minutes.
     */
    windowMinutes?: number;
  };
}
/**
 * A titled group of fields laid out in columns, or a list of related records. Exactly one of `fields` and `related`.
 */
export interface FormSection {
  /**
   * Position among sections, ascending; ties are broken by name. Leave gaps (10, 20, 30) so that an overlay can insert between two sections.
   */
  order: number;
  label?: LocalizedText;
  description?: LocalizedText;
  /**
   * Number of columns; fields fill them left to right, row by row, in field order.
   */
  columns?: number;
  /**
   * The user may fold the section.
   */
  collapsible?: boolean;
  /**
   * The section starts folded (implies collapsible).
   */
  collapsed?: boolean;
  /**
   * A JSONata expression, parsed and checked when the metadata is saved.
   */
  visibleWhen?: string;
  /**
   * The fields of the section keyed by the entity's field name, ordered by `order`. A field appears in at most one section of a form (checked on save).
   */
  fields?: {
    [k: string]: FormField;
  };
  related?: FormRelatedList;
}
/**
 * How one field appears in a section.
 */
export interface FormField {
  /**
   * Position within the section, ascending; ties are broken by name.
   */
  order: number;
  /**
   * Columns the field spans (capped at the section's columns); 1 when omitted.
   */
  span?: number;
  label?: LocalizedText;
  /**
   * The input control. A default follows from the field type; a widget that does not fit the field is refused on save: the widgets of each type are those the record form draws (engine/fields/form-widgets.ts), and an integer's radio or select needs both min and max, at most 11 numbers apart. A text's richText edits formatted text kept as Markdown.
   */
  widget?:
    | "input"
    | "textarea"
    | "richText"
    | "select"
    | "radio"
    | "checkboxes"
    | "tags"
    | "checkbox"
    | "toggle"
    | "stepper"
    | "slider"
    | "date"
    | "datetime"
    | "lookup"
    | "address"
    | "consent"
    | "file";
  placeholder?: LocalizedText;
  help?: LocalizedText;
  /**
   * A JSONata expression, parsed and checked when the metadata is saved.
   */
  visibleWhen?: string;
  /**
   * A JSONata expression, parsed and checked when the metadata is saved.
   */
  requiredWhen?: string;
  /**
   * Shown but not editable in this form. Presentation only: the role's field access, enforced by the server, decides what may be written.
   */
  readOnly?: boolean;
  /**
   * A JSONata expression, parsed and checked when the metadata is saved.
   */
  readOnlyWhen?: string;
  requiredWhenMessage?: LocalizedText;
  readOnlyWhenMessage?: LocalizedText;
}
/**
 * Records of a child entity whose lookup points to the record shown (an order's lines, an account's contacts).
 */
export interface FormRelatedList {
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  entity: string;
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  via: string;
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  view?: string;
  /**
   * Offer "add" in the list, prefilling the lookup with this record.
   */
  allowCreate?: boolean;
}
/**
 * An inbound endpoint, POST /api/inbound/{name}: another system (an ERP, a shop) sends a batch; each item is mapped by JSONata to upserts of one or more records (an order and its lines) and written in its own transaction, with the rights of the role whose API token sent it. An item already applied under its key is not applied again; a failing item is answered with its JSON pointer while the others land. Administrators only.
 */
export interface InboundDefinition {
  /**
   * The metadata kind.
   */
  kind: "inbound";
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  name: string;
  label: LocalizedText;
  description?: LocalizedText;
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  role: string;
  /**
   * A JSONata expression, parsed and checked when the metadata is saved.
   */
  items?: string;
  /**
   * A JSONata expression, parsed and checked when the metadata is saved.
   */
  key: string;
  /**
   * The records each item becomes, keyed by a name, written in this order in one transaction per item.
   */
  targets: {
    [k: string]: InboundTarget;
  };
}
/**
 * One entity the item is upserted into.
 */
export interface InboundTarget {
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  entity: string;
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  match: string;
  /**
   * A JSONata expression, parsed and checked when the metadata is saved.
   */
  map: string;
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  parent?: string;
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  parentField?: string;
}
/**
 * An e-mail channel: messages the server's SMTP listener (CRM_MAIL_LISTEN) receives for the channel's address each become one interaction record, written with the rights of the channel's role. The sender's address finds the contact; a reply to a notification the CRM e-mailed about a record (In-Reply-To / References) names that record as the thread; attachments are stored as files linked to the interaction. Administrators only.
 */
export interface MailChannelDefinition {
  /**
   * The metadata kind.
   */
  kind: "mailChannel";
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  name: string;
  label: LocalizedText;
  description?: LocalizedText;
  /**
   * The address the listener accepts mail for (case does not matter); mail for an address no channel names is refused.
   */
  address: string;
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  role: string;
  contact?: MailChannelContact;
  interaction: MailChannelInteraction;
  /**
   * Notification e-mails about records carry this address as Reply-To, so that replies come back to this channel and are threaded onto their record.
   */
  replyTo?: boolean;
  /**
   * Largest message accepted (with attachments), in bytes.
   */
  maxBytes?: number;
  /**
   * False refuses mail for the address.
   */
  active?: boolean;
}
/**
 * How the sender is found: the record of `entity` whose `field` equals the sender's address (compared in lower case). None found: the message still lands, with `contact` null.
 */
export interface MailChannelContact {
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  entity: string;
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  field: string;
}
/**
 * The record each message becomes.
 */
export interface MailChannelInteraction {
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  entity: string;
  /**
   * A JSONata expression, parsed and checked when the metadata is saved.
   */
  map: string;
}
/**
 * A saved query over one entity: grouped rows with subtotals at each level and a grand total (or, without groupBy, a list of records), run with the caller's access — GET /api/reports/{name}?format=json|csv|xlsx — and optionally sent by e-mail on a schedule with a role's access. Exports neutralize text cells starting with = + - @ (formula injection).
 */
export interface ReportDefinition {
  /**
   * The metadata kind.
   */
  kind: "report";
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  name: string;
  label: LocalizedText;
  description?: LocalizedText;
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  entity: string;
  filter?: RecordFilter;
  /**
   * Grouping levels, outermost first; a subtotal row follows each group of every level but the last.
   *
   * @minItems 1
   * @maxItems 4
   */
  groupBy?: [GroupKey, ...GroupKey[]];
  /**
   * Named measures of each row (with groupBy); a record count when omitted.
   */
  measures?: {
    [k: string]: WidgetMeasure;
  };
  /**
   * Without groupBy: the fields listed, in order (lookup paths allowed).
   *
   * @minItems 1
   * @maxItems 100
   */
  columns?: [FieldPath, ...FieldPath[]];
  sort?: SortSpec;
  schedule?: ReportSchedule;
}
/**
 * When and to whom the report is sent, in which format, and whose access it runs with (a role: what the role may read is what leaves the server).
 */
export interface ReportSchedule {
  /**
   * A cron expression of 5 fields (or 6, with seconds first), read in the server's time zone (CRM_TIME_ZONE).
   */
  cron: string;
  /**
   * Recipients' addresses.
   *
   * @minItems 1
   * @maxItems 50
   */
  to: [string, ...string[]];
  /**
   * The attachment's format.
   */
  format?: "csv" | "xlsx";
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  role: string;
}
/**
 * What holders of a role may do: per entity, create / read / update / delete with a record scope, reassign owners, per-field access, and which workflow transitions they may take. Deny by default: an entity not listed is invisible to the role (in data, metadata, OpenAPI and types). A user may hold several roles; their grants add up (the widest scope and the most open field access win). Users, their teams and the team hierarchy are data managed through the users API, not role metadata: a role says "team", the user's team membership says which records that is.
 */
export interface RoleDefinition {
  /**
   * The metadata kind.
   */
  kind: "role";
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  name: string;
  label: LocalizedText;
  description?: LocalizedText;
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  homeDashboard?: string;
  /**
   * Administrators manage metadata, templates, users and roles, and may do everything to every record; `permissions` does not restrict them. Everything they do is audited. Other roles may not read or change metadata beyond what their permissions expose.
   */
  admin?: boolean;
  /**
   * Grants per entity, keyed by entity name.
   */
  permissions?: {
    [k: string]: EntityPermissions;
  };
}
/**
 * One role's grants on one entity. What is omitted is denied.
 */
export interface EntityPermissions {
  /**
   * May create records; the creator becomes the owner.
   */
  create?: boolean;
  read?: RecordScope;
  update?: RecordScope;
  delete?: RecordScope;
  reassign?: RecordScope;
  defaultFieldAccess?: FieldAccess;
  /**
   * Access per field, keyed by field name; overrides `defaultFieldAccess`. Fields no one may write (id, owner, version, formulas, rollups, autonumbers, a workflow's state field) stay read-only whatever is granted here.
   */
  fields?: {
    [k: string]: FieldAccess;
  };
  /**
   * Workflow transitions the role may take, keyed by workflow name: "*" for all of that workflow's transitions, or their names. Adds to the roles a transition lists itself, so a template can grant its role a transition of another template's workflow without changing that workflow. Taking a transition also needs update on the record.
   */
  transitions?: {
    [k: string]: "*" | [string, ...string[]];
  };
}
/**
 * A dynamic customer segment: the records of one entity that pass a filter and, with `rfm`, whose recency, frequency and monetary scores over related records (a member's purchases) pass `members`. Membership is computed by the server — on its `schedule` and on demand (POST /api/segments/{name}/refresh) — and kept, each member with its scores; GET /api/segments/{name}/members lists the members the caller may read.
 */
export interface SegmentDefinition {
  /**
   * The metadata kind.
   */
  kind: "segment";
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  name: string;
  label: LocalizedText;
  description?: LocalizedText;
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  entity: string;
  filter?: RecordFilter;
  rfm?: RfmScores;
  /**
   * A JSONata expression, parsed and checked when the metadata is saved.
   */
  members?: string;
  /**
   * When membership is recomputed: a cron expression of 5 fields (or 6, with seconds first), read in the server's time zone (CRM_TIME_ZONE).
   */
  schedule?: string;
}
/**
 * Scores 5 (best) to 1 from thresholds: recency — days since the latest related record, 5 when at most recencyDays[0], 4 when at most recencyDays[1], …, else 1; frequency — related records, 5 when at least frequency[0], …, else 1; monetary — the sum of `amount`, 5 when at least monetary[0], …, else 1. A candidate with no related record scores 0 on all three.
 */
export interface RfmScores {
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  from: string;
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  via: string;
  filter?: RecordFilter;
  date: FieldPath;
  amount: FieldPath;
  recencyDays: Ascending;
  frequency: Descending;
  monetary: Descending;
}
/**
 * An event subscription: every change to one entity's records that matches is POSTed to a receiver, signed like the workflow webhook action (X-CRM-Signature: sha256=<hex HMAC-SHA256 of "<X-CRM-Timestamp>.<body>">). Events are written to an outbox in the same transaction as the change, delivered in order per record, retried with backoff, logged attempt by attempt, and can be replayed. Only fields the named integration role may read are sent. Administrators only.
 */
export interface SubscriptionDefinition {
  /**
   * The metadata kind.
   */
  kind: "subscription";
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  name: string;
  label: LocalizedText;
  description?: LocalizedText;
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  entity: string;
  /**
   * Which changes are sent: created, updated, deleted, transition (a workflow transition taken; sent as `transition`, not also as `updated`) and approval (a step of an approval decided).
   *
   * @minItems 1
   */
  events: [
    "created" | "updated" | "deleted" | "transition" | "approval",
    ...("created" | "updated" | "deleted" | "transition" | "approval")[]
  ];
  /**
   * For `updated`: only changes to one of these fields are sent (any change when omitted).
   *
   * @minItems 1
   * @maxItems 500
   *
   * Items: A metadata name: camelCase, starting with a lower-case letter.
   */
  fields?: [string, ...string[]];
  /**
   * A JSONata expression, parsed and checked when the metadata is saved.
   */
  when?: string;
  /**
   * The receiver's http(s) address.
   */
  url: string;
  /**
   * The name of the signing secret, kept outside metadata (server environment) so that exports never carry secrets.
   */
  secretRef: string;
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  role: string;
  /**
   * After this many failed attempts in a row the subscription pauses (events keep being recorded) and administrators are notified; POST /api/subscriptions/{name}/resume starts it again.
   */
  pauseAfterFailures?: number;
  /**
   * False records nothing: changes made while inactive are never sent.
   */
  active?: boolean;
}
/**
 * The manifest (template.json) of a template: a versioned package of metadata items and sample data, installed as a base layer that admin overlays sit on. Item files live beside it by convention at `metadata/{kind}/{name}.json`; every item belongs to exactly one module, and every item file is listed in a module (both checked on load). Items a template does not list in `shares` are its own: installing another template that defines the same kind and name is refused.
 */
export interface TemplateManifest {
  /**
   * The metadata kind.
   */
  kind: "template";
  name: TemplateName;
  version: SemanticVersion;
  title: LocalizedText;
  description?: LocalizedText;
  engine?: SemverRange;
  /**
   * Templates that must be installed first, by name → semver range of acceptable versions. A template may refer to its dependencies' items (a lookup to their entity, a role granting their transitions); it may change them only through `shares`.
   */
  dependencies?: {
    [k: string]: SemverRange;
  };
  /**
   * Items this template defines and is willing to share with other installed templates, by kind then item name — e.g. the `account` entity that a sales and a services template both define. A shared item's effective base is the deep merge, by key, of every installed template's contribution, in install order: fields, options, rules, sections, states and transitions add up; top-level labels keep the first installed template's value. Two contributions conflict when the same JSON pointer holds different non-object values (a field with two types, two different option lists); `onConflict` decides. Each template's contribution is recorded, so uninstalling or upgrading one template removes or changes only what no other installed template contributes, and the admin overlay is re-applied on top. Records of a shared entity are one set, seen by both. An item is shared only when every template that defines it lists it here.
   */
  shares?: {
    entity?: SharedItems;
    form?: SharedItems;
    view?: SharedItems;
    workflow?: SharedItems;
    role?: SharedItems;
    dashboard?: SharedItems;
  };
  /**
   * Parts of the template that are switched on one at a time (customers first, then sales, then service), keyed by name. Switching a module off hides its items and keeps its data; switching it on again shows both.
   */
  modules: {
    [k: string]: TemplateModule;
  };
  dashboards?: TemplateDashboards;
  /**
   * Sample records loaded on request at install, keyed by entity name. Loaded in an order that satisfies lookups; every record passes the entity's rules. Only data files: a template from outside runs no code.
   */
  sampleData?: {
    [k: string]: SampleDataFile;
  };
}
/**
 * Shared items of one kind, keyed by item name.
 */
export interface SharedItems {
  [k: string]: SharedItem;
}
/**
 * How this template shares one item.
 */
export interface SharedItem {
  /**
   * refuse: an install or upgrade whose contribution conflicts with an installed one is refused, and its dry run lists every conflicting pointer. keepInstalled: at conflicting pointers the value already installed stays, and the dry run lists them as notices.
   */
  onConflict?: "refuse" | "keepInstalled";
  note?: LocalizedText;
}
/**
 * A part of a template that is switched on or off as a whole.
 */
export interface TemplateModule {
  label: LocalizedText;
  description?: LocalizedText;
  /**
   * Position in the list of modules, ascending; ties are broken by name.
   */
  order?: number;
  items: ModuleItems;
  /**
   * Modules of this template that must be on for this one to be on (sales needs customers). Switching a module on switches these on; switching one off is refused while a module that needs it is on. No cycles (checked on load).
   *
   * @minItems 1
   * @maxItems 50
   *
   * Items: A metadata name: camelCase, starting with a lower-case letter.
   */
  dependsOn?: [string, ...string[]];
  /**
   * Switched on by a plain install.
   */
  enabledByDefault?: boolean;
}
/**
 * The items of a module, by kind: lists of item names.
 */
export interface ModuleItems {
  entity?: ItemNames;
  form?: ItemNames;
  view?: ItemNames;
  workflow?: ItemNames;
  role?: ItemNames;
  dashboard?: ItemNames;
  report?: ItemNames;
  segment?: ItemNames;
}
/**
 * Landing dashboards.
 */
export interface TemplateDashboards {
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  home?: string;
  /**
   * Role name → the dashboard its users land on.
   */
  byRole?: {
    /**
     * A metadata name: camelCase, starting with a lower-case letter.
     */
    [k: string]: string;
  };
}
/**
 * One file of sample records of one entity.
 */
export interface SampleDataFile {
  /**
   * Path relative to the manifest (no `..`, not absolute): a JSON array, or one JSON record per line (.ndjson), generated deterministically by the template's authors. Each record carries a stable `id`, and lookups between sample records use those ids.
   */
  file: string;
  /**
   * How many records the file holds; checked on load, shown in the install plan.
   */
  count?: number;
}
/**
 * A saved way of looking at records of one entity: a list (columns, filter, sort, page size) or a kanban board (cards grouped by a workflow's state field or a picklist). A view narrows what the caller's role lets them read; it never widens it. Also home of the record filter and sort definitions that dashboards and workflow triggers reuse.
 */
export interface ViewDefinition {
  /**
   * The metadata kind.
   */
  kind: "view";
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  name: string;
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  entity: string;
  label: LocalizedText;
  description?: LocalizedText;
  /**
   * list: rows and columns. kanban: one column per value of `kanban.groupBy`, one card per record.
   */
  type: "list" | "kanban";
  /**
   * The view an entity opens with when none is named. At most one per entity (checked across documents).
   */
  default?: boolean;
  /**
   * The columns of a list, keyed by field path (`amount`, `account.name`, `address.city`). Order comes from each column's `order`, so an overlay can add, move or drop one column without restating the others. Required for a list.
   */
  columns?: {
    [k: string]: ViewColumn;
  };
  filter?: RecordFilter;
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  segment?: string;
  /**
   * Narrows the view to records the current user owns (me) or that their team, or a team below it, owns — or, on an entity with recordTeams, that belong to such a team (myTeam). Applied on top of the filter and of the role's scope.
   */
  ownedBy?: "me" | "myTeam";
  sort?: SortSpec;
  /**
   * Records per page (a list) or per column before "more" (a kanban).
   */
  pageSize?: number;
  kanban?: KanbanSettings;
}
/**
 * One column of a list.
 */
export interface ViewColumn {
  /**
   * Position, ascending; ties are broken by field path. Leave gaps (10, 20, 30) so that an overlay can insert between two columns.
   */
  order: number;
  label?: LocalizedText;
  /**
   * Width in CSS pixels; sized to content when omitted.
   */
  width?: number;
}
/**
 * How a kanban board groups and shows records.
 */
export interface KanbanSettings {
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  groupBy: string;
  /**
   * Fields shown on each card under its title (the entity's title field), in this order; keep it short (three to six). A list of references, not definitions: an overlay restates it whole.
   *
   * @maxItems 30
   */
  cardFields?: FieldPath[];
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  sumField?: string;
  /**
   * Collapse the columns of a workflow's final states.
   */
  hideFinal?: boolean;
}
/**
 * A business process over one entity: a state machine (the states a field may hold and the transitions between them, with guards, roles, required fields, approvals and actions) and triggers (on create, on update, on a schedule, relative to a date or to the time spent in a state) that run actions. Guards, conditions and actions are named JSON, never code. A workflow without states is an automation: triggers and actions only. Cross-references (states, actions, fields, roles, entities) are checked when the metadata is saved.
 */
export interface WorkflowDefinition {
  /**
   * The metadata kind.
   */
  kind: "workflow";
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  name: string;
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  entity: string;
  label: LocalizedText;
  description?: LocalizedText;
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  field?: string;
  /**
   * The states keyed by the stored value. Exactly one is initial (checked on save); new records start in it.
   */
  states?: {
    [k: string]: WorkflowState;
  };
  /**
   * The moves between states, keyed by name; the name is what `POST /api/data/{entity}/{id}/transitions/{name}` takes.
   */
  transitions?: {
    [k: string]: WorkflowTransition;
  };
  /**
   * Events that run actions without a user taking a transition, keyed by name (the name identifies scheduled jobs and delivery logs).
   */
  triggers?: {
    [k: string]: WorkflowTrigger;
  };
  /**
   * The actions, defined once and keyed by name; transitions, triggers and approvals list the names they run, in order. The name identifies each effect in the effect log, so that a failed effect is retried alone and never applied twice.
   */
  actions?: {
    [k: string]: WorkflowAction;
  };
  /**
   * Where records go when a change removes states they sit in: old state → a current state. Saving a workflow that removes occupied states is refused until every such state is mapped (the refusal names the states and counts the records); the mapping is applied in the same revision, recorded in the audit trail, and needs no transition. Mapping entries for states that still exist are refused.
   */
  stateMapping?: {
    /**
     * A metadata name: camelCase, starting with a lower-case letter.
     */
    [k: string]: string;
  };
}
/**
 * One state a record can be in.
 */
export interface WorkflowState {
  label: LocalizedText;
  description?: LocalizedText;
  /**
   * Position in kanban columns and pickers, ascending; ties are broken by name.
   */
  order?: number;
  /**
   * New records start here. Exactly one state is initial.
   */
  initial?: boolean;
  /**
   * The process ends here: no transition leaves a final state, and scheduled triggers tied to the record stop.
   */
  final?: boolean;
  /**
   * A CSS colour for badges and kanban columns.
   */
  color?: string;
  /**
   * Target time in this state, in hours. Time-in-state reports and badges compare against it; escalation is an `inState` trigger.
   */
  slaHours?: number;
}
/**
 * A move from one or more states to another. A user may take it when: the record is in a `from` state, the user may update the record (role scope), the user's role is allowed, the guard is true, the required fields have values, and no approval of it is pending. `GET …/transitions` reports each unmet condition as the reason.
 */
export interface WorkflowTransition {
  label: LocalizedText;
  description?: LocalizedText;
  /**
   * Button order, ascending; ties are broken by name.
   */
  order?: number;
  /**
   * The state or states the move starts from; "*" means every state that is not final.
   */
  from: "*" | string | [string, ...string[]];
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  to: string;
  /**
   * A JSONata expression, parsed and checked when the metadata is saved.
   */
  guard?: string;
  guardMessage?: LocalizedText;
  /**
   * Roles that may take the move, in addition to roles that grant it in their own permissions (`permissions.{entity}.transitions`). When neither names any role, every user who may update the record may take it. Admins always may.
   *
   * @minItems 1
   * @maxItems 50
   *
   * Items: A metadata name: camelCase, starting with a lower-case letter.
   */
  roles?: [string, ...string[]];
  /**
   * Fields that must have a value, after the move's `setFields` actions, for the move to be taken.
   *
   * @minItems 1
   * @maxItems 100
   *
   * Items: A metadata name: camelCase, starting with a lower-case letter.
   */
  requiredFields?: [string, ...string[]];
  confirm?: LocalizedText;
  /**
   * Whether the user writes a comment with the move; it goes into the audit trail.
   */
  comment?: "none" | "optional" | "required";
  actions?: ActionList;
  approval?: WorkflowApproval;
}
/**
 * Sequential approval steps. Steps run in `order`; a step whose `when` is false is skipped. The first rejection ends the approval, the record stays where it was, and the rejection's comment says why. Every request, approval and rejection goes into the audit trail.
 */
export interface WorkflowApproval {
  /**
   * A JSONata expression, parsed and checked when the metadata is saved.
   */
  when?: string;
  /**
   * The steps keyed by name, run in `order`; an overlay can add a step between two others.
   */
  steps: {
    [k: string]: ApprovalStep;
  };
  rejectActions?: ActionList;
}
/**
 * One step of an approval, decided by one person.
 */
export interface ApprovalStep {
  /**
   * Position among steps, ascending; ties are broken by name.
   */
  order: number;
  label: LocalizedText;
  approver: Approver;
  /**
   * A JSONata expression, parsed and checked when the metadata is saved.
   */
  when?: string;
}
/**
 * Exactly one of: any one user holding a role; a named user; or the user a field of the record points to. The requester never approves their own request.
 */
export interface Approver {
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  role?: string;
  /**
   * The user with this sign-in e-mail decides. Users are data, not metadata: an unknown user is reported when the approval starts.
   */
  user?: string;
  field?: FieldPath;
}
/**
 * Runs once when a record is created.
 */
export interface CreateTrigger {
  /**
   * The kind of event.
   */
  on: "create";
  label?: LocalizedText;
  /**
   * A JSONata expression, parsed and checked when the metadata is saved.
   */
  when?: string;
  actions: ActionList;
}
/**
 * Runs when an update makes `when` become true: false (or absent) on the record before the write, true after. It does not run again on later saves while it stays true.
 */
export interface UpdateTrigger {
  /**
   * The kind of event.
   */
  on: "update";
  label?: LocalizedText;
  /**
   * A JSONata expression, parsed and checked when the metadata is saved.
   */
  when: string;
  actions: ActionList;
}
/**
 * Runs on a cron schedule, once per due time even when several servers share the store. With `filter` or `when`, its actions run for each matching record; with neither, they run once with no record (only createRecord, notify and webhook make sense then).
 */
export interface ScheduleTrigger {
  /**
   * The kind of event.
   */
  on: "schedule";
  label?: LocalizedText;
  /**
   * A cron expression of 5 fields (or 6, with seconds first), parsed when the metadata is saved: "0 9 * * 1" is Mondays at 09:00.
   */
  cron: string;
  timezone?: TimeZone;
  filter?: RecordFilter;
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  segment?: string;
  /**
   * A JSONata expression, parsed and checked when the metadata is saved.
   */
  when?: string;
  actions: ActionList;
}
/**
 * Runs for each record at a time relative to one of its date or datetime fields ("3 days before contractEnd"). Rescheduled when the field changes; not run for a time already past when the record is saved, nor when the record sits in a final state.
 */
export interface DateTrigger {
  /**
   * The kind of event.
   */
  on: "date";
  label?: LocalizedText;
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  field: string;
  offset: Offset;
  /**
   * Time of day (HH:MM) for a date field; 00:00 when omitted. Ignored for a datetime field.
   */
  at?: string;
  timezone?: TimeZone;
  /**
   * A JSONata expression, parsed and checked when the metadata is saved.
   */
  when?: string;
  actions: ActionList;
}
/**
 * Runs when a record has stayed in a state for a time ("48h after entering open, if still open") — SLA escalation. Cancelled when the record leaves the state; started again when it comes back.
 */
export interface InStateTrigger {
  /**
   * The kind of event.
   */
  on: "inState";
  label?: LocalizedText;
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  state: string;
  after: Duration;
  repeatEvery?: Duration;
  /**
   * A JSONata expression, parsed and checked when the metadata is saved.
   */
  when?: string;
  actions: ActionList;
}
/**
 * Sets fields of the record. On a transition, in the same write as the state change (rules see the result); on a trigger, as a follow-up write in system mode. Cannot set the workflow's state field, id, owner or system fields.
 */
export interface SetFieldsAction {
  /**
   * The kind of action.
   */
  type: "setFields";
  label?: LocalizedText;
  /**
   * A JSONata expression, parsed and checked when the metadata is saved.
   */
  when?: string;
  values: FieldValueExpressions;
}
/**
 * Field name → JSONata expression giving its value.
 */
export interface FieldValueExpressions {
  /**
   * A JSONata expression, parsed and checked when the metadata is saved.
   */
  [k: string]: string;
}
/**
 * Creates a record, typically a related one (a follow-up task, an order from a quote), after the save.
 */
export interface CreateRecordAction {
  /**
   * The kind of action.
   */
  type: "createRecord";
  label?: LocalizedText;
  /**
   * A JSONata expression, parsed and checked when the metadata is saved.
   */
  when?: string;
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  entity: string;
  values: FieldValueExpressions;
}
/**
 * Changes the record a lookup of this record points at (the parent: a case when its last task closes, an account when a deal is won), after the save, in system mode: sets its fields and/or takes a transition of its workflow. Skipped when the lookup is empty. It needs `values`, `transition` or both; `via`, the fields and the transition are checked on save against the target entity.
 */
export interface UpdateRelatedAction {
  /**
   * The kind of action.
   */
  type: "updateRelated";
  label?: LocalizedText;
  /**
   * A JSONata expression, parsed and checked when the metadata is saved.
   */
  when?: string;
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  via: string;
  values?: FieldValueExpressions;
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  transition?: string;
}
/**
 * Sends a notification to each recipient's inbox and, when SMTP is configured, by e-mail, in the recipient's language.
 */
export interface NotifyAction {
  /**
   * The kind of action.
   */
  type: "notify";
  label?: LocalizedText;
  /**
   * A JSONata expression, parsed and checked when the metadata is saved.
   */
  when?: string;
  to: Recipients;
  subject: LocalizedText;
  body?: LocalizedText;
  /**
   * Where it is delivered; both when omitted (e-mail only where SMTP is configured).
   *
   * @minItems 1
   */
  channels?: ["inbox" | "email", ...("inbox" | "email")[]];
}
/**
 * People to notify: every user of the roles, the named users, and the users the fields point to, each once.
 */
export interface Recipients {
  /**
   * Every user holding one of these roles.
   *
   * @minItems 1
   *
   * Items: A metadata name: camelCase, starting with a lower-case letter.
   */
  roles?: [string, ...string[]];
  /**
   * Users by sign-in e-mail. Users are data, not metadata: an unknown user is logged, not fatal.
   *
   * @minItems 1
   */
  users?: [string, ...string[]];
  /**
   * Fields of the record that hold a user (e.g. `owner`, `account.accountManager`).
   *
   * @minItems 1
   */
  fields?: [FieldPath, ...FieldPath[]];
}
/**
 * POSTs the event and the record as JSON to a URL, signed with HMAC-SHA256 (header X-CRM-Signature: sha256=<hex HMAC of "<X-CRM-Timestamp>.<body>">, the same X-CRM-Delivery id on every retry), retried with backoff; every attempt is logged and listed by `GET /api/webhooks/deliveries`.
 */
export interface WebhookAction {
  /**
   * The kind of action.
   */
  type: "webhook";
  label?: LocalizedText;
  /**
   * A JSONata expression, parsed and checked when the metadata is saved.
   */
  when?: string;
  /**
   * The receiver's http(s) address.
   */
  url: string;
  /**
   * The name of the signing secret, kept outside metadata (server settings or environment) so that metadata exports and templates never carry secrets.
   */
  secretRef: string;
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  role: string;
  /**
   * Delivery attempts before the delivery is given up (logged as failed). Retries back off exponentially from the server's first delay (CRM_RETRY_BACKOFF_MS, 30 s by default), doubling up to an hour.
   */
  maxAttempts?: number;
}
/**
 * Requests a transition that has an approval, in system mode (e.g. when a discount is raised above a threshold): its steps start, and the record moves when the last step approves.
 */
export interface StartApprovalAction {
  /**
   * The kind of action.
   */
  type: "startApproval";
  label?: LocalizedText;
  /**
   * A JSONata expression, parsed and checked when the metadata is saved.
   */
  when?: string;
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  transition: string;
}
/**
 * Takes a transition of this workflow in system mode (e.g. an SLA trigger moves a case to escalated). Roles are not checked; the guard and required fields are; when the record is not in a `from` state, nothing happens and that is logged.
 */
export interface TransitionAction {
  /**
   * The kind of action.
   */
  type: "transition";
  label?: LocalizedText;
  /**
   * A JSONata expression, parsed and checked when the metadata is saved.
   */
  when?: string;
  /**
   * A metadata name: camelCase, starting with a lower-case letter.
   */
  transition: string;
}
