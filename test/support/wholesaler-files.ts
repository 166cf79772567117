// A small Chinese wholesaler's exports from its old desktop ERP, written here: a customer list as
// GBK CSV under a title line, a workbook with 客户 and 联系人 sheets (a title above the header, merged cells, Excel date
// serials in Chinese Excel's built-in date format, numbers stored as text), and a European
// supplier's semicolon CSV with decimal commas.

import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import JSZip from 'jszip';
import { writeFile } from 'node:fs/promises';

export interface Customer { name: string; phone: string; address: string; credit: string; since: string; type: string; tier: string; terms: string; region: string }

/** The customer list: dates in the forms the ERP wrote (one at midnight), credit with thousands separators, in full-width digits, in 元. */
export const gbkCustomers: Customer[] = [
  { name: '杭州西湖食品批发部', phone: '0571-8765 4321', address: '浙江省杭州市西湖区文三路100号', credit: '50,000.00', since: '2023/3/5', type: '批发商', tier: '一级', terms: '月结30天', region: '华东' },
  { name: '苏州平江副食品商行', phone: '0512-6523 1188', address: '江苏省苏州市姑苏区平江路8号', credit: '１２，５００', since: '2023年3月5日', type: '零售店', tier: '三级', terms: '月结30天', region: '华东' },
  { name: '上海徐汇干货行', phone: '021-6488 0099', address: '上海市徐汇区漕溪北路88号', credit: '8,000.00元', since: '2022-06-18 00:00:00', type: '批发商', tier: '二级', terms: '月结30天', region: '华东' },
  { name: '广州越秀粮油店', phone: '020-8333 2211', address: '广东省广州市越秀区北京路1号', credit: '0', since: '2021年11月20日', type: '零售店', tier: '三级', terms: '预付', region: '华南' },
];
export const gbkHeader = ['客户名称', '联系电话', '地址', '信用额度', '建档日期', '客户类型', '价格等级', '付款方式', '大区'];

const csvCell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
/** As the ERP saves its report: a title line above the header, padded with commas to the table's width. */
export function gbkCustomersCsv(): Buffer {
  const lines = [['华盛商贸有限公司 客户资料（导出于 2024-05-01）', ...gbkHeader.slice(1).map(() => '')], gbkHeader, ...gbkCustomers.map((c) => [c.name, c.phone, c.address, c.credit, c.since, c.type, c.tier, c.terms, c.region])];
  return iconv.encode(lines.map((l) => l.map(csvCell).join(',')).join('\r\n') + '\r\n', 'gbk');
}

/** The workbook's customers: 建档日期 as Excel serials of the dates below. */
export const bookCustomers = [
  { name: '南京鼓楼日杂公司', credit: '1,234.50', since: '2022-07-01', type: '批发商', tier: '二级', region: '华东' },
  { name: '成都锦江调味品批发', credit: '８８，０００', since: '2020-01-15', type: '批发商', tier: '一级', region: '西南' },
];
/** The contacts, each naming its customer; the first two share one merged 所属客户 cell. */
export const bookContacts = [
  { name: '周建国', customer: '南京鼓楼日杂公司', mobile: '13912345678', title: '总经理', role: '老板' },
  { name: '吴丽', customer: '南京鼓楼日杂公司', mobile: '13812345678', title: '采购主管', role: '采购员' },
  { name: '郑强', customer: '成都锦江调味品批发', mobile: '13712345678', title: '财务', role: '会计' },
];
const excelSerial = (iso: string) => Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / 86_400_000 + 25569;

/**
 * 客户 and 联系人: a merged title row, a blank row, then the header. The dates are written as Chinese
 * Excel saves its long-date format: built-in number format 31 (yyyy"年"m"月"d"日"), which a file names
 * by its id only, with no format code.
 */
export async function writeWorkbook(file: string): Promise<void> {
  const book = new ExcelJS.Workbook();
  const customers = book.addWorksheet('客户');
  customers.addRow(['华盛商贸有限公司 客户档案（导出于 2024-05-01）']);
  customers.mergeCells('A1:F1');
  customers.addRow([]);
  customers.addRow(['客户名称', '信用额度', '建档日期', '客户类型', '价格等级', '大区']);
  for (const c of bookCustomers) customers.addRow([c.name, c.credit, excelSerial(c.since), c.type, c.tier, c.region]);
  // A marker format, rewritten to the built-in id below.
  customers.getColumn(3).numFmt = '0.000000';
  const contacts = book.addWorksheet('联系人');
  contacts.addRow(['联系人名单']);
  contacts.mergeCells('A1:E1');
  contacts.addRow(['姓名', '所属客户', '手机', '职务', '角色']);
  bookContacts.forEach((c, i) => contacts.addRow([c.name, i === 1 ? null : c.customer, c.mobile, c.title, c.role]));
  contacts.mergeCells('B3:B4');
  const zip = await JSZip.loadAsync(await book.xlsx.writeBuffer());
  const styles = await zip.file('xl/styles.xml')!.async('string');
  const id = /<numFmt numFmtId="(\d+)" formatCode="0.000000"\/>/.exec(styles)![1];
  zip.file('xl/styles.xml', styles.replace(/<numFmt numFmtId="\d+" formatCode="0.000000"\/>/, '').replace(new RegExp(`numFmtId="${id}"`, 'g'), 'numFmtId="31"'));
  await writeFile(file, await zip.generateAsync({ type: 'nodebuffer' }));
}

/** A German supplier's price list: semicolons, decimal commas, dates day first. */
export const supplierProducts = [
  { sku: 'EUR-00001', name: 'Olivenöl extra vergine 5 L', category: '粮油', price: '1.234,50', perCase: '4' },
  { sku: 'EUR-00002', name: 'Balsamico-Essig 500 ml', category: '调味品', price: '89,90', perCase: '12' },
];
export function supplierCsv(): string {
  return ['Artikelnr;Bezeichnung;Warengruppe;Preis;VE', ...supplierProducts.map((p) => [p.sku, p.name, p.category, p.price, p.perCase].join(';'))].join('\r\n') + '\r\n';
}
