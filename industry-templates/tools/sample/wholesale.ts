// Wholesale sample data: an FMCG wholesaler (beverages, snacks, dairy, grain and oil, condiments,
// personal care, household) selling to 240 distributors and retailers across China. Orders run
// from quote to cash with prices from the account's tier; every account's open orders on credit
// stay within its credit limit, as the credit check demands.

import { address, cities, CompanyNames, emailFor, personName, PhoneBook } from './china.ts';
import { addDays, cents, chinaTime, daysBetween, maxDate, minDate, Random } from './random.ts';
import { referenceDate, type SampleRecord, type TemplateSample } from './sample-set.ts';

const productPlan: Record<'beverages' | 'snacks' | 'dairy' | 'grainOil' | 'condiments' | 'personalCare' | 'household', { code: string; brands: string[]; items: [string, string, number, number, number][] }> = {
  beverages: { code: 'BEV', brands: ['清泉', '果园时光', '茗香'], items: [['茉莉绿茶 500ml×15', 'Jasmine green tea 500 ml × 15', 42, 15, 270], ['冰红茶 500ml×15', 'Iced black tea 500 ml × 15', 40, 15, 270], ['橙汁饮料 1L×12', 'Orange drink 1 L × 12', 66, 12, 240], ['天然矿泉水 550ml×24', 'Mineral water 550 ml × 24', 29, 24, 540], ['苏打气泡水 330ml×24', 'Sparkling soda 330 ml × 24', 72, 24, 365], ['无糖乌龙茶 500ml×15', 'Sugar-free oolong 500 ml × 15', 58, 15, 300]] },
  snacks: { code: 'SNK', brands: ['田园', '脆乐', '好味坊'], items: [['原味薯片 70g×30', 'Potato chips 70 g × 30', 105, 30, 270], ['夹心饼干 200g×20', 'Sandwich biscuits 200 g × 20', 128, 20, 300], ['坚果礼盒 750g×6', 'Nut gift box 750 g × 6', 468, 6, 240], ['牛肉干 100g×24', 'Beef jerky 100 g × 24', 356, 24, 270], ['海苔卷 40g×40', 'Seaweed rolls 40 g × 40', 188, 40, 360]] },
  dairy: { code: 'DAI', brands: ['牧场鲜', '康乐'], items: [['纯牛奶 250ml×24', 'Whole milk 250 ml × 24', 62, 24, 180], ['酸奶 200g×24', 'Yoghurt 200 g × 24', 88, 24, 150], ['高钙奶粉 900g×6', 'High-calcium milk powder 900 g × 6', 588, 6, 720]] },
  grainOil: { code: 'GRO', brands: ['禾丰', '金穗'], items: [['东北大米 5kg×4', 'Northeast rice 5 kg × 4', 136, 4, 365], ['花生油 5L×4', 'Peanut oil 5 L × 4', 398, 4, 540], ['高筋面粉 5kg×4', 'Bread flour 5 kg × 4', 108, 4, 270], ['挂面 1kg×10', 'Dried noodles 1 kg × 10', 76, 10, 540]] },
  condiments: { code: 'CON', brands: ['老味道', '鲜之源'], items: [['生抽酱油 500ml×12', 'Light soy sauce 500 ml × 12', 96, 12, 720], ['香醋 500ml×12', 'Aged vinegar 500 ml × 12', 84, 12, 720], ['火锅底料 200g×30', 'Hot-pot base 200 g × 30', 312, 30, 540], ['蚝油 700g×12', 'Oyster sauce 700 g × 12', 142, 12, 540]] },
  personalCare: { code: 'PCR', brands: ['清新', '柔肤'], items: [['牙膏 120g×48', 'Toothpaste 120 g × 48', 398, 48, 1080], ['洗发水 750ml×12', 'Shampoo 750 ml × 12', 468, 12, 1080], ['沐浴露 1L×12', 'Shower gel 1 L × 12', 436, 12, 1080]] },
  household: { code: 'HHD', brands: ['洁亮', '家净'], items: [['洗衣液 3kg×4', 'Laundry liquid 3 kg × 4', 156, 4, 1080], ['抽纸 3层×24包', 'Facial tissue 3-ply × 24', 89, 24, 1080], ['洗洁精 1.5kg×8', 'Dish soap 1.5 kg × 8', 118, 8, 1080]] },
};
type Category = keyof typeof productPlan;

const tierFactor = { tier1: 0.85, tier2: 0.92, tier3: 1 } as const;
type Tier = keyof typeof tierFactor;

const teamPlan = [
  ['华东一部（经销） East 1 (distributors)', '陈立新', 18_000_000],
  ['华东二部（零售） East 2 (retail)', '王晓燕', 12_000_000],
  ['华北东北团队 North & Northeast', '赵建国', 14_000_000],
  ['华南团队 South', '黄志强', 13_000_000],
  ['华中西南团队 Central & Southwest', '刘洋', 11_000_000],
  ['西北团队 Northwest', '马骏', 5_000_000],
] as const;

const territoryPlan: [string, string, string[], string[], number][] = [
  ['T-ED', '华东经销 East distribution', ['east'], ['distributor'], 0],
  ['T-ER', '华东零售 East retail', ['east'], ['retailer'], 1],
  ['T-N', '华北 North', ['north'], ['distributor', 'retailer'], 2],
  ['T-NE', '东北 Northeast', ['northeast'], ['distributor', 'retailer'], 2],
  ['T-S', '华南 South', ['south'], ['distributor', 'retailer'], 3],
  ['T-C', '华中 Central', ['central'], ['distributor', 'retailer'], 4],
  ['T-SW', '西南 Southwest', ['southwest'], ['distributor', 'retailer'], 4],
  ['T-NW', '西北 Northwest', ['northwest'], ['distributor', 'retailer'], 5],
];

const termsDays = { prepaid: 0, net30: 30, net60: 60 } as const;

export function generateWholesale(): TemplateSample {
  const random = new Random(0x7701e5a1);
  const phones = new PhoneBook(random);
  const companies = new CompanyNames(random);
  const ref = referenceDate;

  // Accounts.
  const accounts: SampleRecord[] = [];
  for (let i = 0; i < 240; i++) {
    const city = random.pick(cities.flatMap((c) => (c.region === 'east' || c.region === 'south' ? [c, c, c] : c.region === 'northwest' ? [c] : [c, c])));
    const distributor = random.chance(0.3);
    const chain = !distributor && random.chance(0.35);
    const tier: Tier = distributor ? (random.chance(0.4) ? 'tier1' : 'tier2') : chain ? 'tier2' : 'tier3';
    const onCredit = distributor || chain || random.chance(0.4);
    const terms = !onCredit ? 'prepaid' : distributor && random.chance(0.5) ? 'net60' : 'net30';
    const creditLimit = !onCredit ? 0 : distributor ? random.int(6, 40) * 50_000 : chain ? random.int(2, 16) * 25_000 : random.int(2, 8) * 10_000;
    const customerSince = `${random.int(2012, 2025)}-${String(random.int(1, 12)).padStart(2, '0')}-${String(random.int(1, 28)).padStart(2, '0')}`;
    const name = companies.make(city, distributor ? ['食品贸易有限公司', '商贸有限公司', '供应链管理有限公司', '副食品批发有限公司'] : chain ? ['超市连锁有限公司', '便利店连锁有限公司', '生鲜超市有限公司'] : ['超市', '便利店', '食杂店', '百货商行']);
    const record: SampleRecord = {
      id: random.ulid(new Date(`${customerSince}T02:00:00Z`)),
      name,
      region: city.region,
      phone: phones.landline(city),
      ...(distributor || chain || random.chance(0.3) ? { email: emailFor(`purchasing${String(i + 1).padStart(3, '0')}`, 'example.com.cn') } : {}),
      ...(distributor && random.chance(0.5) ? { website: `https://distributor${String(i + 1).padStart(3, '0')}.example.cn` } : {}),
      address: address(random, city),
      accountType: distributor ? 'distributor' : 'retailer',
      priceTier: tier,
      creditLimit,
      paymentTerms: terms,
      customerSince,
      ...(random.chance(0.1) ? { notes: random.pick(['月底集中对账 reconciles at month end', '仓库周日不收货 no deliveries on Sundays', '需提前一天预约送货 book deliveries a day ahead']) } : {}),
    };
    accounts.push(record);
  }

  // Contacts.
  const contacts: SampleRecord[] = [];
  const contactsOf = new Map<string, SampleRecord[]>();
  for (const account of accounts) {
    const count = account['accountType'] === 'distributor' ? random.int(2, 3) : random.int(1, 2);
    const roles = random.sample(['decisionMaker', 'purchasing', 'finance', 'operations'], count);
    roles.forEach((role, k) => {
      const title = { decisionMaker: '总经理 General manager', purchasing: '采购经理 Purchasing manager', finance: '财务主管 Finance lead', operations: '门店店长 Store manager' }[role]!;
      const contact: SampleRecord = {
        id: random.ulid(new Date(`${account['customerSince'] as string}T03:00:00Z`)),
        name: personName(random, random.chance(0.5) ? 'female' : 'male'),
        account: account.id,
        jobTitle: title,
        role,
        mobile: phones.mobile(),
        ...(random.chance(0.3) ? { officePhone: account['phone'] } : {}),
        ...(random.chance(0.6) ? { email: emailFor(`c${String(contacts.length + 1).padStart(4, '0')}`, 'example.com.cn') } : {}),
        ...(random.chance(0.5) ? { wechatId: `wx_trade_${String(contacts.length + 1).padStart(4, '0')}` } : {}),
        primary: k === 0,
        ...(random.chance(0.35) ? { marketingConsent: { givenAt: chinaTime(maxDate(account['customerSince'] as string, '2021-01-01'), 11, 0), source: random.pick(['订货会登记 trade fair', '业务员确认 confirmed to the rep']) } } : {}),
      };
      contacts.push(contact);
      contactsOf.set(account.id, [...(contactsOf.get(account.id) ?? []), contact]);
    });
  }

  // Products and the three tier price lists.
  const products: SampleRecord[] = [];
  const skuSeq: Record<string, number> = {};
  while (products.length < 200) {
    const category = random.pick(Object.keys(productPlan) as Category[]);
    const plan = productPlan[category];
    const [zh, en, price, units, shelf] = random.pick(plan.items);
    const brand = random.pick(plan.brands);
    skuSeq[plan.code] = (skuSeq[plan.code] ?? 10000) + random.int(1, 37);
    const launchedOn = addDays(ref, -random.int(60, 1500));
    products.push({
      id: random.ulid(new Date(`${launchedOn}T01:00:00Z`)),
      sku: `${plan.code}-${skuSeq[plan.code]}`,
      name: `${brand} ${zh} ${en}`,
      category,
      brand,
      unit: 'case',
      unitsPerCase: units,
      listPrice: cents(price * (0.9 + random.next() * 0.25)),
      shelfLifeDays: shelf,
      active: random.chance(0.95),
    });
  }
  const priceLists: SampleRecord[] = (Object.keys(tierFactor) as Tier[]).map((tier, i) => ({
    id: random.ulid(new Date('2025-12-20T02:00:00Z')),
    name: `2026 年${['一', '二', '三'][i]}级价格表 2026 tier ${i + 1} prices`,
    priceTier: tier,
    validFrom: '2026-01-01',
    validTo: '2026-12-31',
    active: true,
  }));
  const priceOf = (product: SampleRecord, tier: Tier) => cents((product['listPrice'] as number) * tierFactor[tier]);
  const priceListItems: SampleRecord[] = priceLists.flatMap((list) =>
    products.map((product) => ({
      id: random.ulid(new Date('2025-12-20T02:00:00Z')),
      priceList: list.id,
      product: product.id,
      price: priceOf(product, list['priceTier'] as Tier),
      minQuantity: list['priceTier'] === 'tier1' ? 50 : list['priceTier'] === 'tier2' ? 10 : 1,
    })),
  );

  const { orders, lines } = generateOrders(random, accounts, contactsOf, products, priceOf);
  const interactions = generateInteractions(random, accounts, contactsOf);

  // Teams, territories and opportunities.
  const salesTeams: SampleRecord[] = teamPlan.map(([name, managerName, annualTarget]) => ({ id: random.ulid(new Date('2024-01-02T01:00:00Z')), name, managerName, annualTarget }));
  const territories: SampleRecord[] = territoryPlan.map(([code, name, regions, accountTypes, team]) => ({
    id: random.ulid(new Date('2024-01-02T01:00:00Z')),
    code,
    name,
    regions,
    accountTypes,
    salesTeam: salesTeams[team]!.id,
  }));
  const territoryFor = (account: SampleRecord) =>
    territories.find((t) => (t['regions'] as string[]).includes(account['region'] as string) && (t['accountTypes'] as string[]).includes(account['accountType'] as string))!;
  const opportunities: SampleRecord[] = [];
  const topics = [['春节备货', 'Spring Festival stock-up'], ['新品进场', 'New product listing'], ['年度供货协议', 'Annual supply agreement'], ['中秋礼盒', 'Mid-Autumn gift boxes'], ['门店扩张首批铺货', 'First stock for new stores'], ['夏季饮料旺季备货', 'Summer beverage season']];
  for (let i = 0; i < 300; i++) {
    const account = random.pick(accounts);
    const territory = territoryFor(account);
    const stage = random.weighted({ prospecting: 12, qualification: 12, proposal: 14, negotiation: 12, won: 28, lost: 22 });
    const closed = stage === 'won' || stage === 'lost';
    const closeDate = closed ? addDays(ref, -random.int(1, 420)) : addDays(ref, random.int(5, 150));
    const [zh, en] = random.pick(topics);
    const lossReason = stage === 'lost' ? random.weighted({ price: 40, competitor: 35, credit: 10, noDecision: 15 }) : undefined;
    const contact = random.pick(contactsOf.get(account.id)!);
    // Deals far along name the account's people involved, each with their role in the deal (link
    // attributes); made without drawing from the random stream, so the other records stay as they were.
    const committee = stage === 'negotiation' || stage === 'won'
      ? contactsOf.get(account.id)!.slice(0, 3).map((c, index) => ({ id: c.id, role: c.id === contact.id ? 'decisionMaker' : index === 0 ? 'buyer' : 'influencer' }))
      : [];
    opportunities.push({
      id: random.ulid(new Date(`${addDays(closeDate, -random.int(20, 90))}T02:00:00Z`)),
      name: `${(account['name'] as string).slice(0, 8)} · ${zh} ${en}`,
      account: account.id,
      ...(stage !== 'prospecting' || random.chance(0.5) ? { contact: contact.id } : {}),
      ...(committee.length > 0 ? { buyingCommittee: committee } : {}),
      salesTeam: territory['salesTeam'],
      territory: territory.id,
      source: random.weighted({ existingCustomer: 45, referral: 15, tradeShow: 20, website: 10, coldCall: 10 }),
      amount: random.int(2, 160) * 5_000,
      closeDate,
      stage,
      ...(lossReason ? { lossReason } : {}),
      ...(lossReason === 'competitor' ? { competitor: random.pick(['东方食品贸易', '润泽供应链', '鸿运副食批发', '安达商贸']) } : {}),
      ...(!closed ? { nextStep: random.pick(['提交报价 send the quote', '安排样品 arrange samples', '约见采购 meet purchasing', '确认账期 agree payment terms']) } : {}),
    });
  }

  return {
    template: 'wholesale',
    files: [
      { entity: 'account', file: 'sample-data/account.ndjson', records: accounts },
      { entity: 'contact', file: 'sample-data/contact.ndjson', records: contacts },
      { entity: 'interaction', file: 'sample-data/interaction.ndjson', records: interactions },
      { entity: 'product', file: 'sample-data/product.ndjson', records: products },
      { entity: 'salesOrder', file: 'sample-data/sales-order.ndjson', records: orders },
      { entity: 'orderLine', file: 'sample-data/order-line.ndjson', records: lines },
      { entity: 'priceList', file: 'sample-data/price-list.json', records: priceLists },
      { entity: 'priceListItem', file: 'sample-data/price-list-item.ndjson', records: priceListItems },
      { entity: 'salesTeam', file: 'sample-data/sales-team.json', records: salesTeams },
      { entity: 'territory', file: 'sample-data/territory.json', records: territories },
      { entity: 'opportunity', file: 'sample-data/opportunity.ndjson', records: opportunities },
    ],
  };
}

function generateOrders(random: Random, accounts: SampleRecord[], contactsOf: Map<string, SampleRecord[]>, products: SampleRecord[], priceOf: (p: SampleRecord, t: Tier) => number) {
  const ref = referenceDate;
  const orders: SampleRecord[] = [];
  const lines: SampleRecord[] = [];
  const invoiceNumbers = new Set<string>();
  const exposure = new Map<string, number>();
  const weightedAccounts = accounts.flatMap((a) => (a['accountType'] === 'distributor' ? [a, a, a, a] : [a]));
  const active = products.filter((p) => p['active']);
  for (let i = 0; i < 660; i++) {
    const account = random.pick(weightedAccounts);
    const tier = account['priceTier'] as Tier;
    const terms = account['paymentTerms'] as keyof typeof termsDays;
    const orderDate = maxDate(account['customerSince'] as string, addDays(ref, -random.int(1, 540)));
    const age = daysBetween(orderDate, ref);
    const status =
      random.chance(0.04) ? 'cancelled'
      : age <= 4 ? random.pick(['quote', 'quote', 'approved'])
      : age <= 9 ? random.pick(['approved', 'ordered', 'ordered'])
      : age <= 18 ? random.pick(['ordered', 'delivered', 'delivered', 'invoiced'])
      : age <= 20 + termsDays[terms] ? random.pick(['invoiced', 'invoiced', 'paid'])
      : 'paid';
    const discountBand = random.weighted({ none: 75, small: 12, medium: 10, large: 3 });
    const discountPercent = { none: 0, small: random.int(2, 5), medium: random.int(6, 15), large: random.int(16, 20) }[discountBand];
    const contact = random.pick(contactsOf.get(account.id)!);
    const order: SampleRecord = {
      id: random.ulid(new Date(`${orderDate}T03:00:00Z`)),
      account: account.id,
      contact: contact.id,
      orderDate,
      validUntil: addDays(orderDate, 30),
      requestedDelivery: addDays(orderDate, random.int(3, 10)),
      paymentTerms: terms,
      ...(discountPercent > 0 ? { discountPercent } : {}),
      ...(discountPercent > 5 ? { discountReason: random.pick(['年度返利 annual rebate', '大单优惠 volume deal', '新品推广支持 launch support', '竞品价格应对 competitor price match']) } : {}),
      status,
    };
    const quantityRange = account['accountType'] === 'distributor' ? [20, 300] : tier === 'tier2' ? [5, 80] : [1, 20];
    let subtotal = 0;
    for (const product of random.sample(active, random.int(1, 5))) {
      const free = random.chance(0.04);
      const quantity = free ? random.int(1, 5) : random.int(quantityRange[0]!, quantityRange[1]!);
      const unitPrice = free ? 0 : priceOf(product, tier);
      lines.push({ id: random.ulid(new Date(`${orderDate}T03:00:00Z`)), salesOrder: order.id, product: product.id, quantity, unitPrice, ...(free ? { freeGoods: true } : {}) });
      subtotal += cents(quantity * unitPrice);
    }
    const total = cents((subtotal * (100 - discountPercent)) / 100);
    if (['delivered', 'invoiced', 'paid'].includes(status)) order['deliveredOn'] = minDate(addDays(orderDate, random.int(2, 6)), addDays(ref, -1));
    if (['invoiced', 'paid'].includes(status)) {
      const invoicedOn = minDate(addDays(order['deliveredOn'] as string, random.int(0, 3)), addDays(ref, -1));
      let invoiceNo: string;
      do invoiceNo = `INV${invoicedOn.slice(0, 7).replace('-', '')}${String(random.int(1, 99999)).padStart(5, '0')}`;
      while (invoiceNumbers.has(invoiceNo));
      invoiceNumbers.add(invoiceNo);
      Object.assign(order, { invoiceNo, invoicedOn, paymentDueOn: addDays(invoicedOn, termsDays[terms]) });
      if (status === 'paid') order['paidOn'] = minDate(addDays(invoicedOn, random.int(Math.max(0, termsDays[terms] - 15), termsDays[terms] + 10)), addDays(ref, -1));
    }
    if (status === 'cancelled') order['cancelReason'] = random.weighted({ price: 30, stock: 25, credit: 15, customer: 30 });
    if (['ordered', 'delivered', 'invoiced'].includes(status) && terms !== 'prepaid') exposure.set(account.id, (exposure.get(account.id) ?? 0) + total);
    orders.push(order);
  }
  // The credit check: open orders on credit never exceed the limit (some accounts run close to it).
  for (const account of accounts) {
    const used = exposure.get(account.id) ?? 0;
    if (used > (account['creditLimit'] as number)) account['creditLimit'] = Math.ceil((used * (1.02 + random.next() * 0.2)) / 10_000) * 10_000;
  }
  return { orders, lines };
}

const tradeTopics: Record<'phone' | 'email' | 'webForm' | 'visit' | 'chat' | 'wechat', [string, string][]> = {
  phone: [['询价：春节备货', 'Price inquiry: Spring Festival stock'], ['催款：上月发票', 'Payment reminder: last month\'s invoice'], ['确认送货时间', 'Confirmed the delivery slot']],
  email: [['发送 2026 价格表', 'Sent the 2026 price list'], ['月度对账单', 'Monthly statement'], ['新品资料', 'New product sheets']],
  webForm: [['官网询盘：成为经销商', 'Web inquiry: becoming a distributor'], ['官网投诉：到货破损', 'Web complaint: damaged goods']],
  visit: [['拜访客户仓库', 'Visited the customer\'s warehouse'], ['门店陈列检查', 'Checked shelf display in store'], ['订货会面谈', 'Met at the trade fair']],
  chat: [['在线咨询：订单状态', 'Chat: order status']],
  wechat: [['微信下单确认', 'WeChat: order confirmed'], ['微信发送促销方案', 'WeChat: sent the promotion plan'], ['微信沟通账期', 'WeChat: discussed payment terms']],
};

function generateInteractions(random: Random, accounts: SampleRecord[], contactsOf: Map<string, SampleRecord[]>): SampleRecord[] {
  const out: SampleRecord[] = [];
  while (out.length < 540) {
    const account = random.pick(accounts);
    const since = maxDate(account['customerSince'] as string, addDays(referenceDate, -540));
    const date = addDays(since, random.int(0, Math.max(0, daysBetween(since, referenceDate) - 1)));
    const channel = random.weighted({ phone: 30, email: 14, webForm: 4, visit: 24, chat: 4, wechat: 24 }) as keyof typeof tradeTopics;
    const [zh, en] = random.pick(tradeTopics[channel]);
    const outcome = random.weighted({ answered: 55, followUp: 15, meetingBooked: 12, noAnswer: 10, complaint: 8 });
    out.push({
      id: random.ulid(new Date(`${date}T04:00:00Z`)),
      account: account.id,
      ...(random.chance(0.8) ? { contact: random.pick(contactsOf.get(account.id)!).id } : {}),
      channel,
      direction: channel === 'webForm' ? 'inbound' : random.chance(0.45) ? 'inbound' : 'outbound',
      occurredAt: chinaTime(date, random.int(9, 18), random.int(0, 59)),
      subject: `${zh} ${en}`,
      ...(random.chance(0.5) ? { summary: random.pick(['客户确认需求，下周下单。Needs confirmed; orders next week.', '已发送资料，等待回复。Sent the documents; waiting for a reply.', '客户反馈价格偏高。Finds the price high.']) } : {}),
      outcome,
      ...(outcome === 'followUp' ? { followUpOn: addDays(date, random.int(2, 14)) } : {}),
    });
  }
  return out.sort((a, b) => String(a['occurredAt']).localeCompare(String(b['occurredAt'])));
}
