// The one place the studio decides which currency an amount is in: its field's own (a currency
// field's, a formula's returning currency, the field a rollup sums), else the organisation's
// (CRM_CURRENCY, from the navigation answer); neither, and the amount reads as a plain number.
// Lists, record pages, the currency input's unit, cards and dashboards all ask here.

import { findOrganisationCurrency, type FieldDef } from '../api/meta.ts';

export function amountCurrency(field: FieldDef | undefined): string | undefined {
  return field?.currency || findOrganisationCurrency();
}
