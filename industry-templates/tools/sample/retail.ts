// Retail sample data: a fashion and lifestyle chain with 12 stores, 200 products and 300 members
// whose purchases give every RFM segment (champions, loyal, new, potential, at risk,
// hibernating, prospects); returns and exchanges, care tasks, campaigns and coupons consistent
// with them. Every value respects the template's rules; derived values (tiers, refunds) are
// computed the way the engine computes them.

import { address, cities, emailFor, personName, PhoneBook } from './china.ts';
import { addDays, cents, chinaTime, daysBetween, maxDate, minDate, Random } from './random.ts';
import { referenceDate, type SampleRecord, type TemplateSample } from './sample-set.ts';

const categories: Record<'apparel' | 'shoes' | 'bags' | 'beauty' | 'home' | 'kids', { code: string; items: [string, string, number][] }> = {
  apparel: { code: 'AP', items: [['纯棉圆领T恤', 'Cotton crew-neck tee', 129], ['亚麻休闲衬衫', 'Linen casual shirt', 299], ['羊毛混纺针织衫', 'Wool-blend knit sweater', 459], ['高腰直筒牛仔裤', 'High-rise straight jeans', 359], ['轻薄羽绒服', 'Light down jacket', 699], ['西装外套', 'Tailored blazer', 799], ['连衣裙', 'Midi dress', 429], ['运动卫衣', 'Sport hoodie', 259]] },
  shoes: { code: 'SH', items: [['小白鞋', 'White leather sneakers', 399], ['乐福鞋', 'Loafers', 559], ['切尔西短靴', 'Chelsea boots', 899], ['慢跑鞋', 'Running shoes', 499], ['凉拖鞋', 'Slides', 149]] },
  bags: { code: 'BG', items: [['托特包', 'Tote bag', 459], ['双肩包', 'Backpack', 369], ['真皮钱包', 'Leather wallet', 229], ['羊绒围巾', 'Cashmere scarf', 599], ['棒球帽', 'Baseball cap', 99]] },
  beauty: { code: 'BT', items: [['保湿面霜', 'Moisturising cream', 268], ['精华液', 'Serum', 398], ['口红', 'Lipstick', 189], ['洁面乳', 'Cleanser', 118], ['香水 50ml', 'Eau de parfum 50 ml', 560]] },
  home: { code: 'HM', items: [['香薰蜡烛', 'Scented candle', 139], ['纯棉四件套', 'Cotton bedding set', 699], ['陶瓷马克杯', 'Ceramic mug', 69], ['羊毛毯', 'Wool throw', 489], ['浴巾', 'Bath towel', 89]] },
  kids: { code: 'KD', items: [['儿童卫衣', 'Kids hoodie', 159], ['儿童运动鞋', 'Kids sneakers', 239], ['婴儿连体衣', 'Baby bodysuit', 99], ['儿童羽绒服', 'Kids down coat', 459]] },
};
type Category = keyof typeof categories;

const colours = [['BK', '黑色', 'black'], ['WH', '白色', 'white'], ['NV', '藏青', 'navy'], ['GY', '灰色', 'grey'], ['BE', '米色', 'beige'], ['RD', '酒红', 'burgundy'], ['GN', '橄榄绿', 'olive']] as const;

type Segment = 'prospect' | 'newCustomer' | 'champions' | 'loyal' | 'potential' | 'atRisk' | 'hibernating';
const segmentPlan: Record<Segment, { members: number; purchases: [number, number]; lastWithin: [number, number]; basket: number }> = {
  prospect: { members: 20, purchases: [0, 0], lastWithin: [0, 0], basket: 1 },
  newCustomer: { members: 40, purchases: [1, 1], lastWithin: [2, 60], basket: 1.3 },
  champions: { members: 30, purchases: [10, 16], lastWithin: [1, 28], basket: 1.9 },
  loyal: { members: 50, purchases: [6, 9], lastWithin: [20, 150], basket: 1.5 },
  potential: { members: 70, purchases: [2, 4], lastWithin: [10, 170], basket: 1.3 },
  atRisk: { members: 50, purchases: [3, 7], lastWithin: [200, 360], basket: 1.4 },
  hibernating: { members: 40, purchases: [1, 2], lastWithin: [200, 600], basket: 1.1 },
};

const storePlan: [string, string, 'flagship' | 'mall' | 'street' | 'outlet'][] = [
  ['SH', '上海南京西路旗舰店', 'flagship'], ['SH', '上海徐家汇商场店', 'mall'], ['HZ', '杭州湖滨街边店', 'street'], ['NJ', '南京新街口商场店', 'mall'],
  ['BJ', '北京三里屯旗舰店', 'flagship'], ['BJ', '北京西单商场店', 'mall'], ['GZ', '广州天河城商场店', 'mall'], ['SN', '深圳海岸城商场店', 'mall'],
  ['CD', '成都太古里街边店', 'street'], ['WH', '武汉楚河汉街店', 'street'], ['XA', '西安奥莱店', 'outlet'], ['SY', '沈阳中街店', 'street'],
];

const managerSurnames = ['周', '吴', '郑', '孙', '林', '何', '高', '罗', '梁', '宋', '唐', '韩'];

export function generateRetail(): TemplateSample {
  const random = new Random(0x5e7a11);
  const phones = new PhoneBook(random);
  const ref = referenceDate;
  const cityByCode = new Map(cities.map((c) => [c.code, c]));

  const stores: SampleRecord[] = storePlan.map(([code, name, format], i) => {
    const city = cityByCode.get(code)!;
    const openedOn = `${2014 + (i % 10)}-${String(1 + ((i * 5) % 12)).padStart(2, '0')}-${String(1 + ((i * 7) % 27)).padStart(2, '0')}`;
    return {
      id: random.ulid(new Date(`${openedOn}T02:00:00Z`)),
      code: `${code}-${String(i + 1).padStart(3, '0')}`,
      name,
      format,
      region: city.region,
      address: address(random, city),
      phone: phones.landline(city),
      managerName: `${managerSurnames[i]}${random.pick(['店长', '经理'])}`,
      openedOn,
      active: true,
    };
  });

  // Products: every category × a few models × colours, 200 in all.
  const products: SampleRecord[] = [];
  const productCategory = new Map<string, Category>();
  const skus = new Set<string>();
  while (products.length < 200) {
    const category = random.pick(Object.keys(categories) as Category[]);
    const def = categories[category];
    const [zh, en, basePrice] = random.pick(def.items);
    const [colourCode, colourZh, colourEn] = random.pick(colours);
    const model = `${def.code}${random.int(23, 26)}${String(random.int(1, 99)).padStart(2, '0')}`;
    const sku = `${model}-${colourCode}`;
    if (skus.has(sku)) continue;
    skus.add(sku);
    const listPrice = Math.round((basePrice * (0.85 + random.next() * 0.4)) / 10) * 10 - 1;
    const launchedOn = addDays(ref, -random.int(30, 900));
    const record: SampleRecord = {
      id: random.ulid(new Date(`${launchedOn}T01:00:00Z`)),
      sku,
      name: `${zh}（${colourZh}）${en}, ${colourEn}`,
      category,
      brand: random.chance(0.85) ? 'LUMO' : random.pick(['LUMO Kids', 'Atelier Nord', 'Maison Bai']),
      season: category === 'apparel' || category === 'shoes' ? random.pick(['springSummer', 'autumnWinter', 'allSeason']) : 'allSeason',
      listPrice,
      cost: cents(listPrice * (0.32 + random.next() * 0.2)),
      launchedOn,
      active: random.chance(0.92),
    };
    products.push(record);
    productCategory.set(record.id, category);
  }

  // Members, each with a planned segment that decides their purchase history.
  const members: SampleRecord[] = [];
  const memberSegment = new Map<string, Segment>();
  for (const segment of Object.keys(segmentPlan) as Segment[]) {
    for (let n = 0; n < segmentPlan[segment].members; n++) {
      const gender = random.weighted({ female: 62, male: 34, undisclosed: 4 });
      const name = personName(random, gender === 'male' ? 'male' : 'female');
      const earliest = segment === 'newCustomer' ? addDays(ref, -70) : addDays(ref, -2200);
      const latest = segment === 'newCustomer' ? addDays(ref, -3) : segment === 'prospect' ? addDays(ref, -5) : addDays(ref, -120);
      const joinedOn = addDays(earliest, random.int(0, daysBetween(earliest, latest)));
      let birthday = `${random.int(1958, 2004)}-${String(random.int(1, 12)).padStart(2, '0')}-${String(random.int(1, 28)).padStart(2, '0')}`;
      if (!random.chance(0.85)) birthday = '';
      const store = random.pick(stores);
      const index = members.length + 1;
      const consent = random.chance(0.72);
      const consentGiven = chinaTime(addDays(joinedOn, random.chance(0.7) ? 0 : random.int(1, 60)), random.int(10, 20), random.int(0, 59));
      const record: SampleRecord = {
        id: random.ulid(new Date(`${joinedOn}T03:00:00Z`)),
        name,
        gender,
        ...(birthday ? { birthday, nextBirthday: nextBirthday(birthday, ref) } : {}),
        mobile: phones.mobile(),
        ...(random.chance(0.55) ? { email: emailFor(`member${String(index).padStart(4, '0')}`) } : {}),
        ...(random.chance(0.7) ? { wechatId: `wx_lumo_${String(index).padStart(4, '0')}` } : {}),
        homeStore: store.id,
        joinedOn,
        tier: 'standard',
        ...(consent && consentGiven.slice(0, 10) < ref
          ? {
              marketingConsent: {
                givenAt: consentGiven,
                source: random.pick(['门店登记 in store', '微信小程序 mini program', '官网 website']),
                ...(random.chance(0.1) ? { withdrawnAt: chinaTime(minDate(addDays(consentGiven.slice(0, 10), random.int(30, 400)), addDays(ref, -1)), 21, 5) } : {}),
              },
            }
          : {}),
        ...(random.chance(0.08) ? { notes: random.pick(['偏好小码 prefers size S', '只接受微信联系 WeChat only', '团购客户 buys for her office', '对羊毛过敏 allergic to wool']) } : {}),
      };
      const consentRecord = record['marketingConsent'] as { givenAt: string; withdrawnAt?: string } | undefined;
      if (consentRecord?.withdrawnAt && consentRecord.withdrawnAt <= consentRecord.givenAt) delete consentRecord.withdrawnAt;
      members.push(record);
      memberSegment.set(record.id, segment);
    }
  }

  // Purchases and their lines; member totals computed as the engine will (for tiers).
  const purchases: SampleRecord[] = [];
  const lines: SampleRecord[] = [];
  const linesOf = new Map<string, SampleRecord[]>();
  const spend = new Map<string, number>();
  const purchasesOf = new Map<string, SampleRecord[]>();
  for (const member of members) {
    const plan = segmentPlan[memberSegment.get(member.id)!];
    const count = random.int(plan.purchases[0], plan.purchases[1]);
    if (count === 0) continue;
    const joinedOn = member['joinedOn'] as string;
    const last = maxDate(joinedOn, addDays(ref, -random.int(plan.lastWithin[0], plan.lastWithin[1])));
    const first = maxDate(joinedOn, addDays(last, -Math.max(count * 25, 30) - random.int(0, 200)));
    const dates = Array.from({ length: count }, (_, i) => (i === count - 1 ? last : addDays(first, random.int(0, Math.max(0, daysBetween(first, last) - 1))))).sort();
    for (const purchaseDate of dates) {
      const home = member['homeStore'] as string;
      const store = random.chance(0.8) ? home : random.pick(stores).id;
      const purchase: SampleRecord = {
        id: random.ulid(new Date(`${purchaseDate}T06:00:00Z`)),
        member: member.id,
        store,
        purchaseDate,
        salesChannel: random.weighted({ inStore: 65, miniProgram: 20, online: 10, livestream: 5 }),
        paymentMethod: random.weighted({ wechatPay: 55, alipay: 30, card: 12, cash: 3 }),
      };
      const lineCount = Math.max(1, Math.round(plan.basket + (random.next() - 0.5) * 1.6));
      let gross = 0;
      const own: SampleRecord[] = [];
      for (const product of random.sample(products, lineCount)) {
        const gift = own.length > 0 && random.chance(0.04);
        const quantity = gift ? 1 : random.weighted({ 1: 78, 2: 17, 3: 5 } as Record<string, number>);
        const lineDiscount = gift ? 0 : random.weighted({ 0: 70, 10: 12, 20: 12, 30: 6 } as Record<string, number>);
        const unitPrice = gift ? 0 : (product['listPrice'] as number);
        const line: SampleRecord = {
          id: random.ulid(new Date(`${purchaseDate}T06:00:00Z`)),
          purchase: purchase.id,
          product: product.id,
          quantity: Number(quantity),
          unitPrice,
          ...(Number(lineDiscount) > 0 ? { lineDiscount: Number(lineDiscount) } : {}),
          ...(gift ? { gift: true } : {}),
        };
        gross += cents((Number(quantity) * unitPrice * (100 - Number(lineDiscount))) / 100);
        own.push(line);
      }
      if (random.chance(0.18) && gross > 300) purchase['discountAmount'] = Math.min(random.pick([20, 30, 50, 100]), Math.floor(gross / 2));
      const net = cents(Math.max(0, gross - ((purchase['discountAmount'] as number | undefined) ?? 0)));
      spend.set(member.id, (spend.get(member.id) ?? 0) + net);
      purchases.push(purchase);
      lines.push(...own);
      linesOf.set(purchase.id, own);
      purchasesOf.set(member.id, [...(purchasesOf.get(member.id) ?? []), purchase]);
    }
  }
  // Tiers as the nightly review sets them (a few members were upgraded by hand on top).
  const rank = ['standard', 'silver', 'gold', 'platinum'];
  for (const member of members) {
    const total = spend.get(member.id) ?? 0;
    let tier = total >= 20000 ? 3 : total >= 8000 ? 2 : total >= 2000 ? 1 : 0;
    if (tier < 3 && random.chance(0.04)) tier++;
    member['tier'] = rank[tier];
  }

  const interactions = generateInteractions(random, members, stores, purchasesOf);
  const returns = generateReturns(random, purchases, linesOf, products, productCategory);
  const careTasks = generateCareTasks(random, members, memberSegment, returns);
  const { campaigns, coupons } = generateMarketing(random, members, purchasesOf);

  return {
    template: 'retail',
    files: [
      { entity: 'store', file: 'sample-data/store.json', records: stores },
      { entity: 'product', file: 'sample-data/product.ndjson', records: products },
      { entity: 'member', file: 'sample-data/member.ndjson', records: members },
      { entity: 'purchase', file: 'sample-data/purchase.ndjson', records: purchases },
      { entity: 'purchaseLine', file: 'sample-data/purchase-line.ndjson', records: lines },
      { entity: 'interaction', file: 'sample-data/interaction.ndjson', records: interactions },
      { entity: 'returnRequest', file: 'sample-data/return-request.ndjson', records: returns },
      { entity: 'careTask', file: 'sample-data/care-task.ndjson', records: careTasks },
      { entity: 'campaign', file: 'sample-data/campaign.json', records: campaigns },
      { entity: 'coupon', file: 'sample-data/coupon.ndjson', records: coupons },
    ],
  };
}

/** The member's next birthday on or after `today`, as the template's formula computes it. */
export function nextBirthday(birthday: string, today: string): string {
  const md = birthday.slice(5) === '02-29' ? '02-28' : birthday.slice(5);
  const year = Number(today.slice(0, 4));
  const thisYear = `${year}-${md}`;
  return thisYear >= today ? thisYear : `${year + 1}-${md}`;
}

const interactionTopics: Record<'phone' | 'email' | 'webForm' | 'visit' | 'chat' | 'wechat', [string, string][]> = {
  phone: [['询问尺码与库存', 'Asked about sizes and stock'], ['预约到店试穿', 'Booked a fitting'], ['咨询退换货政策', 'Asked about the return policy']],
  email: [['电子发票补开', 'Asked for an e-invoice'], ['会员积分查询', 'Points balance question']],
  webForm: [['官网留言：配送延迟', 'Web form: late delivery'], ['官网留言：商品咨询', 'Web form: product question']],
  visit: [['到店试穿新品', 'Tried on the new collection in store'], ['到店领取生日礼', 'Picked up a birthday gift'], ['到店修改裤长', 'In-store alteration']],
  chat: [['在线客服：订单状态', 'Chat: order status'], ['在线客服：优惠券使用', 'Chat: how to use a coupon']],
  wechat: [['微信咨询搭配建议', 'WeChat: styling advice'], ['微信发送新品图册', 'WeChat: sent the new lookbook'], ['微信确认到店时间', 'WeChat: confirmed a visit']],
};

function generateInteractions(random: Random, members: SampleRecord[], stores: SampleRecord[], purchasesOf: Map<string, SampleRecord[]>): SampleRecord[] {
  const out: SampleRecord[] = [];
  while (out.length < 520) {
    const member = random.pick(members);
    const joinedOn = member['joinedOn'] as string;
    const recent = purchasesOf.get(member.id)?.at(-1)?.['purchaseDate'] as string | undefined;
    const day = recent && random.chance(0.6) ? minDate(addDays(recent, random.int(-10, 20)), addDays(referenceDate, -1)) : addDays(joinedOn, random.int(0, Math.max(0, daysBetween(joinedOn, referenceDate) - 1)));
    const date = maxDate(day, joinedOn);
    const channel = random.weighted({ phone: 22, email: 8, webForm: 6, visit: 24, chat: 12, wechat: 28 }) as keyof typeof interactionTopics;
    const [zh, en] = random.pick(interactionTopics[channel]);
    const outcome = random.weighted({ answered: 55, followUp: 12, purchase: 18, noAnswer: 8, complaint: 7 });
    out.push({
      id: random.ulid(new Date(`${date}T05:00:00Z`)),
      member: member.id,
      ...(channel === 'visit' || random.chance(0.5) ? { store: (member['homeStore'] as string) ?? random.pick(stores).id } : {}),
      channel,
      direction: channel === 'visit' || channel === 'webForm' ? 'inbound' : random.chance(0.6) ? 'inbound' : 'outbound',
      occurredAt: chinaTime(date, random.int(10, 21), random.int(0, 59)),
      subject: `${zh} ${en}`,
      ...(random.chance(0.6) ? { summary: random.pick(['已解答，会员满意。Answered; the member was happy.', '已记录需求，门店跟进。Noted; the store follows up.', '推荐了同系列新品。Suggested new items from the same line.']) } : {}),
      outcome,
      ...(outcome === 'followUp' ? { followUpOn: addDays(date, random.int(1, 10)) } : {}),
    });
  }
  return out.sort((a, b) => String(a['occurredAt']).localeCompare(String(b['occurredAt'])));
}

function generateReturns(random: Random, purchases: SampleRecord[], linesOf: Map<string, SampleRecord[]>, products: SampleRecord[], productCategory: Map<string, string>): SampleRecord[] {
  const out: SampleRecord[] = [];
  const candidates = random.sample(purchases.filter((p) => (p['purchaseDate'] as string) < addDays(referenceDate, -2)), 400);
  for (const purchase of candidates) {
    if (out.length >= 220) break;
    const line = random.pick(linesOf.get(purchase.id)!.filter((l) => !l['gift']) as SampleRecord[]);
    if (!line) continue;
    const purchaseDate = purchase['purchaseDate'] as string;
    const requestedOn = minDate(addDays(purchaseDate, random.int(1, 25)), addDays(referenceDate, -1));
    const type = random.chance(0.68) ? 'return' : 'exchange';
    const quantity = random.int(1, line['quantity'] as number);
    const unitNet = cents(((line['unitPrice'] as number) * (100 - ((line['lineDiscount'] as number | undefined) ?? 0))) / 100);
    const age = daysBetween(requestedOn, referenceDate);
    const status =
      age <= 2 ? 'requested'
      : age <= 6 ? random.pick(['approved', 'received'])
      : type === 'return' ? random.weighted({ refunded: 82, rejected: 8, cancelled: 10 }) : random.weighted({ exchanged: 84, rejected: 6, cancelled: 10 });
    const reason = random.weighted({ sizeFit: 38, defective: 14, notAsDescribed: 12, changedMind: 30, damagedInTransit: 6 });
    const inspected = ['received', 'refunded', 'exchanged', 'rejected'].includes(status);
    const condition = status === 'rejected' ? random.pick(['used', 'damaged']) : reason === 'defective' || reason === 'damagedInTransit' ? 'likeNew' : random.pick(['unopened', 'likeNew']);
    const category = productCategory.get(line['product'] as string);
    const sameCategory = products.filter((p) => productCategory.get(p.id) === category && p.id !== line['product']);
    const record: SampleRecord = {
      id: random.ulid(new Date(`${requestedOn}T07:00:00Z`)),
      member: purchase['member'],
      purchase: purchase.id,
      product: line['product'],
      store: purchase['store'],
      type,
      reason,
      quantity,
      requestedOn,
      ...(type === 'return' ? { refundAmount: cents(unitNet * quantity) } : { exchangeProduct: random.pick(sameCategory.length ? sameCategory : products).id }),
      ...(inspected ? { itemCondition: condition } : {}),
      ...(inspected && (condition === 'used' || condition === 'damaged') ? { inspectionNotes: random.pick(['吊牌已剪 tag removed', '有明显穿着痕迹 visibly worn', '外包装破损 box damaged']) } : {}),
      ...(['refunded', 'exchanged', 'rejected'].includes(status) ? { settledOn: minDate(addDays(requestedOn, random.int(0, 6)), addDays(referenceDate, -1)) } : {}),
      status,
    };
    out.push(record);
  }
  return out;
}

function generateCareTasks(random: Random, members: SampleRecord[], segments: Map<string, string>, returns: SampleRecord[]): SampleRecord[] {
  const out: SampleRecord[] = [];
  const settled = returns.filter((r) => r['status'] === 'refunded' || r['status'] === 'exchanged');
  while (out.length < 240) {
    const kind = random.weighted({ afterSales: 30, winBack: 25, birthday: 15, vip: 15, newMember: 15 });
    let member: SampleRecord;
    let due: string;
    let subject: string;
    if (kind === 'afterSales') {
      const ret = random.pick(settled);
      member = members.find((m) => m.id === ret['member'])!;
      due = addDays(ret['settledOn'] as string, 3);
      subject = 'After-sales call 售后回访';
    } else {
      const pool = members.filter((m) => (kind === 'winBack' ? ['atRisk', 'hibernating'].includes(segments.get(m.id)!) : kind === 'newMember' ? segments.get(m.id) === 'newCustomer' : kind === 'vip' ? ['gold', 'platinum'].includes(m['tier'] as string) : m['birthday'] !== undefined));
      member = random.pick(pool);
      due = kind === 'newMember' ? addDays(member['joinedOn'] as string, 3) : addDays(referenceDate, -random.int(-10, 300));
      subject = { winBack: 'Win-back call 流失挽回', birthday: 'Birthday 生日关怀', vip: 'VIP care VIP 专属关怀', newMember: 'Welcome call 欢迎回访' }[kind];
    }
    const status = due > addDays(referenceDate, -3) ? 'open' : random.weighted({ done: 82, skipped: 18 });
    out.push({
      id: random.ulid(new Date(`${minDate(due, referenceDate)}T01:00:00Z`)),
      subject: `${subject}: ${member['name'] as string}`,
      member: member.id,
      store: member['homeStore'],
      careType: kind,
      channel: random.weighted({ phone: 55, wechat: 35, visit: 10 }),
      dueOn: due,
      ...(status === 'done'
        ? { outcome: random.pick(['会员表示满意，近期会到店。Happy; will visit soon.', '已推荐新品并发送图册。Sent the new lookbook.', '会员反馈尺码偏大，已记录。Noted: sizes run large.']), completedOn: minDate(addDays(due, random.int(-2, 1)), addDays(referenceDate, -1)) }
        : {}),
      status,
    });
  }
  return out;
}

const campaignPlan = [
  ['NY2025', '元旦新年礼遇 New Year treats', '2024-12-26', '2025-01-05', 30, 299, ['champions', 'loyal'], []],
  ['CNY2025', '春节焕新季 Spring Festival refresh', '2025-01-20', '2025-02-12', 50, 399, ['champions', 'loyal', 'potential'], []],
  ['W38', '三八女神节 Women\'s Day', '2025-03-01', '2025-03-10', 40, 299, [], ['silver', 'gold', 'platinum']],
  ['MID618', '618 年中大促 Mid-year sale', '2025-06-01', '2025-06-20', 60, 499, ['champions', 'loyal', 'potential', 'newCustomer'], []],
  ['WB2025Q3', '想念您 We miss you (Q3)', '2025-07-15', '2025-08-31', 30, 199, ['atRisk', 'hibernating'], []],
  ['D1111', '双十一狂欢 Singles\' Day', '2025-11-01', '2025-11-12', 80, 599, ['champions', 'loyal', 'potential'], []],
  ['XMAS25', '圣诞礼遇 Christmas gifts', '2025-12-15', '2025-12-26', 50, 399, [], ['gold', 'platinum']],
  ['CNY2026', '马年春节 Year of the Horse', '2026-02-01', '2026-02-22', 60, 459, ['champions', 'loyal', 'potential'], []],
  ['MID2026', '618 年中大促 Mid-year sale 2026', '2026-06-01', '2026-06-20', 60, 499, ['champions', 'loyal', 'potential', 'newCustomer'], []],
  ['AW2026', '秋冬上新 Autumn/winter launch', '2026-10-15', '2026-11-15', 50, 399, ['champions', 'loyal'], ['gold', 'platinum']],
  ['D1111B', '双十一 2026 Singles\' Day 2026', '2026-11-05', '2026-11-12', 80, 599, ['champions', 'loyal', 'potential'], []],
  ['XMAS26', '圣诞礼遇 2026 Christmas 2026', '2026-12-15', '2026-12-26', 50, 399, [], ['gold', 'platinum']],
] as const;

function generateMarketing(random: Random, members: SampleRecord[], purchasesOf: Map<string, SampleRecord[]>) {
  const campaigns: SampleRecord[] = campaignPlan.map(([code, name, startDate, endDate, couponValue, minSpend, segments, tiers], i) => {
    const status = code === 'XMAS26' ? 'draft' : code === 'W38' ? 'cancelled' : endDate < referenceDate ? 'completed' : startDate <= referenceDate ? 'running' : 'scheduled';
    return {
      id: random.ulid(new Date(`${addDays(startDate, -20)}T02:00:00Z`)),
      code,
      name,
      description: `${name}：会员专享满 ${minSpend} 减 ${couponValue}。Members save ${couponValue} CNY on ${minSpend} CNY or more.`,
      channels: random.sample(['sms', 'email', 'wechat', 'miniProgram', 'inStore'], random.int(2, 4)),
      ...(segments.length ? { targetSegments: [...segments] } : {}),
      ...(tiers.length ? { targetTiers: [...tiers] } : {}),
      startDate,
      endDate,
      budget: [20000, 30000, 45000, 60000, 80000][i % 5],
      couponValue,
      minSpend,
      status,
    };
  });
  const consenting = members.filter((m) => {
    const consent = m['marketingConsent'] as { withdrawnAt?: string } | undefined;
    return consent !== undefined && consent.withdrawnAt === undefined;
  });
  const coupons: SampleRecord[] = [];
  const codes = new Set<string>();
  const couponCode = (prefix: string) => {
    for (;;) {
      const code = `${prefix}-${random.code(6)}`;
      if (!codes.has(code)) {
        codes.add(code);
        return code;
      }
    }
  };
  const redeemIn = (member: SampleRecord, from: string, to: string): SampleRecord | undefined =>
    (purchasesOf.get(member.id) ?? []).find((p) => (p['purchaseDate'] as string) >= from && (p['purchaseDate'] as string) <= to && (p['purchaseDate'] as string) < referenceDate);
  for (const campaign of campaigns) {
    if (campaign['status'] === 'draft' || campaign['status'] === 'cancelled' || campaign['status'] === 'scheduled') continue;
    const issuedOn = campaign['startDate'] as string;
    const validUntil = addDays(campaign['endDate'] as string, 14);
    const audience = random.sample(consenting.filter((m) => (m['joinedOn'] as string) <= issuedOn), 55);
    for (const member of audience) {
      const purchase = redeemIn(member, issuedOn, validUntil);
      const redeemed = purchase !== undefined && random.chance(0.85);
      const status = redeemed ? 'redeemed' : validUntil < referenceDate ? 'expired' : 'issued';
      coupons.push({
        id: random.ulid(new Date(`${issuedOn}T01:30:00Z`)),
        code: couponCode(campaign['code'] as string),
        member: member.id,
        campaign: campaign.id,
        source: 'campaign',
        value: campaign['couponValue'],
        minSpend: campaign['minSpend'],
        issuedOn,
        validUntil,
        ...(redeemed ? { redeemedOn: purchase['purchaseDate'], redeemedPurchase: purchase.id, redeemedAt: purchase['store'] } : {}),
        status,
      });
    }
  }
  // Birthday, win-back and goodwill coupons sent outside campaigns.
  while (coupons.length < 620) {
    const member = random.pick(consenting);
    const source = random.weighted({ birthday: 50, winBack: 35, goodwill: 15 });
    const issuedOn = maxDate(member['joinedOn'] as string, addDays(referenceDate, -random.int(1, 420)));
    const validUntil = addDays(issuedOn, 30);
    const purchase = redeemIn(member, issuedOn, validUntil);
    const redeemed = purchase !== undefined && random.chance(0.7);
    const voided = !redeemed && random.chance(0.03);
    const status = redeemed ? 'redeemed' : voided ? 'voided' : validUntil < referenceDate ? 'expired' : 'issued';
    const value = source === 'birthday' ? (['gold', 'platinum'].includes(member['tier'] as string) ? 100 : 50) : source === 'winBack' ? 30 : 20;
    coupons.push({
      id: random.ulid(new Date(`${issuedOn}T02:00:00Z`)),
      code: couponCode({ birthday: 'BD', winBack: 'WB', goodwill: 'GW' }[source]),
      member: member.id,
      source,
      value,
      minSpend: source === 'goodwill' ? 0 : value * 4,
      issuedOn,
      validUntil,
      ...(redeemed ? { redeemedOn: purchase['purchaseDate'], redeemedPurchase: purchase.id, redeemedAt: purchase['store'] } : {}),
      status,
    });
  }
  return { campaigns, coupons };
}
