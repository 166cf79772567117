// Services sample data: an HVAC, water-purifier and appliance service company with 220 clients
// (businesses and households), their contracts and SLA levels, a year of service requests with
// the on-site visits and depot repairs that resolved them, satisfaction surveys and care calls.
// Deadlines and times follow the template's SLA rules exactly.

import { address, cities, CompanyNames, emailFor, personName, PhoneBook, type Address } from './china.ts';
import { addDays, addHours, chinaTime, daysBetween, maxDate, minDate, Random } from './random.ts';
import { referenceDate, type SampleRecord, type TemplateSample } from './sample-set.ts';

const responseHours = { premium: 2, priority: 4, standard: 8 } as const;
const resolutionHours = { premium: 24, priority: 48, standard: 72 } as const;
type Sla = keyof typeof responseHours;

const assets: Record<'business' | 'household', [string, string][]> = {
  business: [['MDV-280W 多联机空调', 'VRF air conditioner MDV-280W'], ['RO-2000 商用净水机', 'Commercial RO purifier RO-2000'], ['CXK-12 商用洗碗机', 'Commercial dishwasher CXK-12'], ['KFR-120 柜式空调', 'Floor-standing AC KFR-120']],
  household: [['KFR-35GW 挂式空调', 'Split AC KFR-35GW'], ['RO-600 厨下净水器', 'Under-sink purifier RO-600'], ['JSQ-16 燃气热水器', 'Gas water heater JSQ-16'], ['BCD-520 对开门冰箱', 'Side-by-side fridge BCD-520'], ['XQG-100 滚筒洗衣机', 'Front-load washer XQG-100']],
};

const faults: Record<'malfunction' | 'maintenance' | 'installation' | 'consultation' | 'complaint', [string, string][]> = {
  malfunction: [['空调不制冷', 'AC does not cool'], ['净水器漏水', 'Purifier leaks'], ['热水器点不着火', 'Water heater will not ignite'], ['冰箱异响', 'Fridge makes a noise'], ['洗衣机不脱水', 'Washer does not spin']],
  maintenance: [['年度清洗保养', 'Annual cleaning and service'], ['更换滤芯', 'Filter replacement'], ['季前检修', 'Pre-season check']],
  installation: [['新机安装', 'New unit installation'], ['移机', 'Relocate a unit']],
  consultation: [['咨询保修范围', 'Warranty coverage question'], ['咨询合同续约', 'Contract renewal question'], ['咨询使用方法', 'How to use a function']],
  complaint: [['投诉上门迟到', 'Complaint: engineer was late'], ['投诉维修后复发', 'Complaint: fault came back'], ['投诉收费不透明', 'Complaint: unclear charges']],
};
type Category = keyof typeof faults;

const engineers = ['张工', '李工', '王工', '刘工', '陈工', '杨工', '赵工', '周工', '吴工', '孙工', '郑工', '何工'];

export function generateServices(): TemplateSample {
  const random = new Random(0x5e4f1ce5);
  const phones = new PhoneBook(random);
  const companies = new CompanyNames(random);
  const ref = referenceDate;

  // Clients and contacts.
  const accounts: SampleRecord[] = [];
  const contacts: SampleRecord[] = [];
  const contactsOf = new Map<string, SampleRecord[]>();
  const kindOf = new Map<string, 'business' | 'household'>();
  for (let i = 0; i < 220; i++) {
    const city = random.pick(cities);
    const household = random.chance(0.55);
    const clientSince = addDays(ref, -random.int(120, 2400));
    const personGender = random.chance(0.5) ? 'female' : 'male';
    const person = personName(random, personGender);
    const account: SampleRecord = {
      id: random.ulid(new Date(`${clientSince}T02:00:00Z`)),
      name: household ? `${person}（家庭）` : companies.make(city, ['科技有限公司', '大酒店', '餐饮管理有限公司', '物业服务有限公司', '连锁酒店', '商务中心']),
      region: city.region,
      phone: household ? phones.mobile() : phones.landline(city),
      ...(household ? {} : { email: emailFor(`facilities${String(i + 1).padStart(3, '0')}`, 'example.com') }),
      address: address(random, city, household ? 'home' : 'business'),
      clientType: household ? 'household' : 'business',
      preferredChannel: household ? random.weighted({ wechat: 60, phone: 35, chat: 5 }) : random.weighted({ phone: 40, email: 30, wechat: 25, webForm: 5 }),
      clientSince,
      careIntervalDays: household ? 180 : random.pick([60, 90]),
    };
    accounts.push(account);
    kindOf.set(account.id, household ? 'household' : 'business');
    const people = household ? [{ name: person, title: '户主 Home owner', role: 'decisionMaker' }] : random.sample([
      { name: personName(random, 'male'), title: '设备经理 Facilities manager', role: 'technical' },
      { name: personName(random, 'female'), title: '行政主管 Office manager', role: 'operations' },
      { name: personName(random, 'female'), title: '采购专员 Purchasing', role: 'purchasing' },
    ], random.int(1, 3));
    people.forEach((p, k) => {
      const contact: SampleRecord = {
        id: random.ulid(new Date(`${clientSince}T02:30:00Z`)),
        name: p.name,
        account: account.id,
        jobTitle: p.title,
        role: p.role,
        mobile: household ? account['phone'] : phones.mobile(),
        ...(random.chance(household ? 0.3 : 0.7) ? { email: emailFor(`s${String(contacts.length + 1).padStart(4, '0')}`, 'example.com') } : {}),
        ...(random.chance(0.6) ? { wechatId: `wx_care_${String(contacts.length + 1).padStart(4, '0')}` } : {}),
        primary: k === 0,
        ...(random.chance(0.45) ? { marketingConsent: { givenAt: chinaTime(clientSince, 15, 20), source: random.pick(['服务回访确认 confirmed on a call', '微信服务号 WeChat service account']) } } : {}),
      };
      contacts.push(contact);
      contactsOf.set(account.id, [...(contactsOf.get(account.id) ?? []), contact]);
    });
  }

  // Contracts: yearly maintenance for businesses, extended warranties for households.
  const contracts: SampleRecord[] = [];
  for (const account of accounts) {
    const household = kindOf.get(account.id) === 'household';
    let start = addDays(maxDate(account['clientSince'] as string, addDays(ref, -1000)), random.int(0, 60));
    const count = household ? random.weighted({ 0: 40, 1: 50, 2: 10 } as Record<string, number>) : random.weighted({ 1: 45, 2: 35, 3: 20 } as Record<string, number>);
    for (let n = 0; n < Number(count); n++) {
      const contractType = household ? (random.chance(0.7) ? 'warrantyExtension' : 'maintenance') : random.chance(0.5) ? 'maintenance' : 'fullService';
      const slaLevel: Sla = contractType === 'fullService' ? random.pick(['premium', 'priority']) : household ? (random.chance(0.8) ? 'standard' : 'priority') : random.pick(['priority', 'standard']);
      const years = contractType === 'warrantyExtension' ? random.int(2, 3) : 1;
      const end = addDays(start, years * 365 - 1);
      const status = end < ref ? (random.chance(0.06) ? 'terminated' : 'expired') : start > ref ? 'draft' : 'active';
      contracts.push({
        id: random.ulid(new Date(`${addDays(start, -10)}T02:00:00Z`)),
        name: `${(account['name'] as string).replace('（家庭）', '')} ${{ warrantyExtension: '延保服务 Extended warranty', maintenance: '维保服务 Maintenance', fullService: '全包服务 Full service' }[contractType]} ${start.slice(0, 4)}`,
        account: account.id,
        contractType,
        slaLevel,
        coverage: { premium: 'allDay', priority: 'extended', standard: 'businessHours' }[slaLevel],
        onSiteVisitsIncluded: contractType === 'warrantyExtension' ? random.int(0, 2) : contractType === 'maintenance' ? random.int(2, 6) : random.int(12, 24),
        startDate: start,
        endDate: end,
        annualValue: household ? random.pick([299, 399, 599, 899]) : random.int(8, 120) * 1_000,
        status,
      });
      start = addDays(end, 1);
      if (start > addDays(ref, 20)) break;
    }
  }
  const coveringContract = (accountId: string, date: string) =>
    contracts.find((c) => c['account'] === accountId && (c['startDate'] as string) <= date && date <= (c['endDate'] as string) && c['status'] !== 'draft');

  const { cases, visits, repairs } = generateCases(random, accounts, kindOf, contactsOf, coveringContract);
  const surveys = generateSurveys(random, cases);
  const interactions = generateInteractions(random, accounts, contactsOf);
  const careCalls = generateCareCalls(random, accounts, contactsOf);

  return {
    template: 'services',
    files: [
      { entity: 'account', file: 'sample-data/account.ndjson', records: accounts },
      { entity: 'contact', file: 'sample-data/contact.ndjson', records: contacts },
      { entity: 'interaction', file: 'sample-data/interaction.ndjson', records: interactions },
      { entity: 'contract', file: 'sample-data/contract.ndjson', records: contracts },
      { entity: 'serviceCase', file: 'sample-data/service-case.ndjson', records: cases },
      { entity: 'satisfactionSurvey', file: 'sample-data/satisfaction-survey.ndjson', records: surveys },
      { entity: 'fieldVisit', file: 'sample-data/field-visit.ndjson', records: visits },
      { entity: 'repairOrder', file: 'sample-data/repair-order.ndjson', records: repairs },
      { entity: 'careCall', file: 'sample-data/care-call.ndjson', records: careCalls },
    ],
  };
}

type ContractFinder = (accountId: string, date: string) => SampleRecord | undefined;

function generateCases(random: Random, accounts: SampleRecord[], kindOf: Map<string, string>, contactsOf: Map<string, SampleRecord[]>, coveringContract: ContractFinder) {
  const ref = referenceDate;
  const refInstant = chinaTime(ref, 8, 0);
  const cases: SampleRecord[] = [];
  const visits: SampleRecord[] = [];
  const repairs: SampleRecord[] = [];
  const weighted = accounts.flatMap((a) => (kindOf.get(a.id) === 'business' ? [a, a] : [a]));
  for (let i = 0; i < 600; i++) {
    const account = random.pick(weighted);
    const kind = kindOf.get(account.id) as 'business' | 'household';
    const openedDay = addDays(ref, -random.int(0, 365));
    const openedAt = chinaTime(openedDay, random.int(8, 19), random.int(0, 59));
    if (openedAt >= refInstant) continue;
    const contract = coveringContract(account.id, openedDay);
    const slaLevel = (contract?.['slaLevel'] as Sla | undefined) ?? 'standard';
    const category = random.weighted({ malfunction: 47, maintenance: 18, installation: 12, consultation: 12, complaint: 11 }) as Category;
    const priority = category === 'complaint' ? random.weighted({ normal: 50, high: 40, urgent: 10 }) : random.weighted({ low: 12, normal: 58, high: 22, urgent: 8 });
    const [zh, en] = random.pick(faults[category]);
    const [model, modelEn] = random.pick(assets[kind]);
    const hasAsset = ['malfunction', 'maintenance', 'installation'].includes(category);
    const path = category === 'consultation' ? 'remote' : category === 'complaint' ? random.pick(['remote', 'onSite']) : random.weighted({ onSite: 46, depotRepair: 47, remote: 7 });
    const responseDueAt = addHours(openedAt, responseHours[slaLevel]);
    const resolutionDueAt = addHours(openedAt, (priority === 'urgent' ? 0.5 : 1) * resolutionHours[slaLevel]);
    const ageHours = (Date.parse(refInstant) - Date.parse(openedAt)) / 3_600_000;
    const contact = random.pick(contactsOf.get(account.id)!);
    const status =
      ageHours < 2 ? 'new'
      : ageHours < 30 ? random.weighted({ new: 15, inProgress: 45, escalated: 15, waitingCustomer: 10, cancelled: 5, resolved: 10 })
      : ageHours < 24 * 12 ? random.weighted({ inProgress: 30, waitingCustomer: 12, escalated: 8, resolved: 35, closed: 10, cancelled: 5 })
      : random.weighted({ closed: 95, cancelled: 5 });
    const record: SampleRecord = {
      id: random.ulid(new Date(openedAt)),
      subject: `${zh} ${en}${hasAsset ? ` — ${model}` : ''}`,
      account: account.id,
      contact: contact.id,
      ...(contract ? { contract: contract.id } : {}),
      channel: random.weighted({ phone: 35, wechat: 28, webForm: 12, email: 8, chat: 12, visit: 5 }),
      category,
      priority,
      slaLevel,
      ...(hasAsset || path === 'depotRepair' ? { assetModel: `${model} ${modelEn}`, serialNo: `SN${random.code(10, '0123456789')}` } : {}),
      description: `${zh}。客户描述：${random.pick(['昨天开始出现', '已持续一周', '偶尔发生', '完全无法使用'])}。${en}.`,
      ...(status !== 'new' ? { resolutionPath: path } : {}),
      openedAt,
      responseDueAt,
      resolutionDueAt,
      status,
    };
    if (status !== 'new') {
      const late = random.chance(0.1);
      const first = addHours(openedAt, late ? responseHours[slaLevel] * (1.1 + random.next()) : responseHours[slaLevel] * (0.1 + random.next() * 0.8));
      record['firstResponseAt'] = first < refInstant ? first : addHours(openedAt, Math.min(ageHours, 1) * 0.5);
      record['escalationCount'] = status === 'escalated' || late ? 1 : 0;
    }
    const done = status === 'resolved' || status === 'closed';
    let resolvedAt: string | undefined;
    if (path === 'onSite' && status !== 'new' && status !== 'cancelled') {
      const result = generateVisits(random, { record, account, contact, done, openedAt, refInstant });
      visits.push(...result.visits);
      resolvedAt = result.finishedAt;
    } else if (path === 'depotRepair' && status !== 'new' && status !== 'cancelled') {
      const underWarranty = contract?.['contractType'] === 'warrantyExtension' || random.chance(0.35);
      const result = generateRepair(random, { record, account, done, openedAt, underWarranty });
      repairs.push(result.repair);
      resolvedAt = result.finishedAt;
    } else if (done) {
      resolvedAt = addHours(openedAt, 1 + random.next() * resolutionHours[slaLevel] * 0.9);
    }
    if (done) {
      resolvedAt = resolvedAt && resolvedAt < refInstant ? resolvedAt : addHours(openedAt, Math.max(0.5, ageHours * 0.8));
      record['resolvedAt'] = maxDate(resolvedAt, addHours(record['firstResponseAt'] as string, 0.25));
      if ((record['resolvedAt'] as string) >= refInstant) record['resolvedAt'] = addHours(refInstant, -0.1);
      record['resolution'] = {
        remote: '电话指导客户完成设置，问题解决。Talked the client through the settings; solved.',
        onSite: '工程师上门检修，更换故障部件后运行正常。Engineer replaced the faulty part on site; working again.',
        depotRepair: '送修完成并寄回，客户确认正常。Repaired at the depot and sent back; the client confirmed it works.',
      }[path];
      if (Date.parse(record['resolvedAt'] as string) > Date.parse(resolutionDueAt) && record['escalationCount'] === 0) record['escalationCount'] = random.chance(0.5) ? 1 : 0;
    }
    cases.push(record);
  }
  return { cases, visits, repairs };
}

function generateVisits(random: Random, args: { record: SampleRecord; account: SampleRecord; contact: SampleRecord; done: boolean; openedAt: string; refInstant: string }) {
  const { record, account, contact, done, openedAt, refInstant } = args;
  const visits: SampleRecord[] = [];
  const engineer = random.pick(engineers);
  const second = done && random.chance(0.12);
  let day = addDays(openedAt.slice(0, 10), random.int(0, 2));
  let finishedAt: string | undefined;
  for (let n = 0; n < (second ? 2 : 1); n++) {
    let start = chinaTime(day, random.pick([9, 10, 13, 14, 15]), random.pick([0, 30]));
    if (start <= openedAt) start = chinaTime(addDays(openedAt.slice(0, 10), 1), 10, 0);
    const end = addHours(start, random.pick([2, 3, 4]));
    const completed = done || (n === 0 && second);
    const status = completed && end < refInstant ? 'completed' : start > refInstant ? 'scheduled' : random.pick(['scheduled', 'enRoute', 'onSite']);
    const arrivedAt = status === 'completed' || status === 'onSite' ? addHours(start, random.next() * 0.7) : undefined;
    const completedAt = status === 'completed' ? addHours(arrivedAt!, 0.5 + random.next() * 2) : undefined;
    visits.push({
      id: random.ulid(new Date(start)),
      serviceCase: record.id,
      account: account.id,
      contact: contact.id,
      purpose: record['category'] === 'installation' ? 'installation' : record['category'] === 'maintenance' ? 'maintenance' : record['category'] === 'complaint' ? 'inspection' : 'repair',
      engineerName: engineer,
      scheduledStart: start,
      scheduledEnd: end,
      visitAddress: account['address'] as Address,
      ...(arrivedAt ? { arrivedAt } : {}),
      ...(completedAt
        ? {
            completedAt,
            workPerformed: random.pick(['清洗过滤网并检测冷媒压力 Cleaned filters, checked refrigerant pressure', '更换主板 Replaced the control board', '更换进水阀 Replaced the inlet valve', '调试并试运行 Tuned and test-ran the unit']),
            ...(random.chance(0.5) ? { partsUsed: random.pick(['滤芯 ×2 filter cartridges', '控制主板 control board', '温度传感器 temperature sensor', '排水泵 drain pump']) } : {}),
            customerSignedOff: true,
            travelMinutes: random.int(15, 90),
          }
        : {}),
      status,
    });
    if (completedAt) finishedAt = addHours(completedAt, random.next() * 2);
    day = addDays(day, random.int(2, 5));
  }
  return { visits, finishedAt };
}

function generateRepair(random: Random, args: { record: SampleRecord; account: SampleRecord; done: boolean; openedAt: string; underWarranty: boolean }) {
  const { record, account, done, openedAt, underWarranty } = args;
  const ref = referenceDate;
  const receivedOn = minDate(addDays(openedAt.slice(0, 10), random.int(0, 2)), addDays(ref, -1));
  const intake = random.weighted({ dropOff: 35, courier: 45, pickUp: 20 });
  const quoteAmount = underWarranty ? undefined : random.int(2, 60) * 50;
  const declined = done && !underWarranty && random.chance(0.12);
  const progress = done ? 'returned' : random.pick(underWarranty ? ['received', 'diagnosing', 'repairing', 'readyToReturn'] : ['received', 'diagnosing', 'awaitingApproval', 'repairing', 'readyToReturn']);
  const diagnosed = progress !== 'received';
  const quoted = !underWarranty && diagnosed && progress !== 'diagnosing';
  const returnedOn = progress === 'returned' ? minDate(addDays(receivedOn, random.int(3, 12)), addDays(ref, -1)) : undefined;
  const repaired = (progress === 'returned' && !declined) || progress === 'readyToReturn';
  const repair: SampleRecord = {
    id: random.ulid(new Date(`${receivedOn}T03:00:00Z`)),
    serviceCase: record.id,
    account: account.id,
    assetModel: (record['assetModel'] as string).slice(0, 80),
    serialNo: record['serialNo'],
    faultDescription: record['description'],
    intake,
    receivedOn,
    promisedOn: addDays(receivedOn, 7),
    underWarranty,
    ...(diagnosed ? { diagnosis: random.pick(['压缩机启动电容损坏 Compressor start capacitor failed', '主板受潮短路 Control board shorted by moisture', '水泵老化 Pump worn out', '密封圈老化漏水 Seal worn, leaking']) } : {}),
    ...(quoted && quoteAmount !== undefined ? { quoteAmount } : {}),
    ...(quoted && progress !== 'awaitingApproval' ? { customerApproved: !declined } : {}),
    ...(repaired ? { repairedOn: minDate(addDays(receivedOn, random.int(1, 3)), returnedOn ?? addDays(ref, -1)) } : {}),
    ...(returnedOn ? { returnedOn } : {}),
    ...(returnedOn && intake !== 'dropOff' ? { returnTrackingNo: `SF${random.code(12, '0123456789')}` } : {}),
    status: progress,
  };
  return { repair, finishedAt: returnedOn ? chinaTime(returnedOn, 17, 0) : undefined };
}

function generateSurveys(random: Random, cases: SampleRecord[]): SampleRecord[] {
  const refInstant = chinaTime(referenceDate, 8, 0);
  const out: SampleRecord[] = [];
  for (const record of cases) {
    if (record['status'] !== 'closed' || random.chance(0.15)) continue;
    const sentAt = addHours(record['resolvedAt'] as string, 24 * (1 + random.next() * 6));
    if (sentAt >= refInstant) continue;
    const ageDays = (Date.parse(refInstant) - Date.parse(sentAt)) / 86_400_000;
    const status = ageDays > 0.1 && random.chance(ageDays > 14 ? 0.68 : 0.45) ? 'responded' : ageDays > 14 ? 'expired' : 'sent';
    const score = Number(random.weighted({ 5: 45, 4: 30, 3: 12, 2: 8, 1: 5 } as Record<string, number>));
    const respondedAt = minDate(addHours(sentAt, 1 + random.next() * 60), addHours(refInstant, -0.05));
    out.push({
      id: random.ulid(new Date(sentAt)),
      serviceCase: record.id,
      account: record['account'],
      ...(record['contract'] ? { contract: record['contract'] } : {}),
      channel: record['channel'] === 'email' ? 'email' : 'wechat',
      sentAt,
      ...(status === 'responded'
        ? {
            respondedAt,
            score,
            recommendScore: Math.min(10, Math.max(0, score * 2 + random.int(-2, 0))),
            ...(score <= 3 ? { comments: random.pick(['工程师迟到了一个小时。The engineer was an hour late.', '修好后没几天又坏了。It broke again a few days later.', '收费说明不够清楚。The charges were not explained.']) } : random.chance(0.3) ? { comments: '服务专业，很满意。Professional service, very happy.' } : {}),
          }
        : {}),
      status,
    });
  }
  return out;
}

const serviceTopics: Record<'phone' | 'email' | 'webForm' | 'visit' | 'chat' | 'wechat', [string, string][]> = {
  phone: [['来电报修', 'Called in a fault'], ['电话回访服务质量', 'Follow-up call on service quality'], ['确认上门时间', 'Confirmed the visit time']],
  email: [['发送保养报告', 'Sent the maintenance report'], ['合同续约报价', 'Renewal quote']],
  webForm: [['官网预约保养', 'Booked maintenance on the website'], ['官网留言咨询', 'Web form question']],
  visit: [['上门巡检', 'On-site inspection'], ['客户到服务中心送修', 'Client brought a unit to the service centre']],
  chat: [['在线客服：进度查询', 'Chat: progress check']],
  wechat: [['微信发送保养提醒', 'WeChat: maintenance reminder'], ['微信确认预约', 'WeChat: appointment confirmed'], ['微信客户反馈', 'WeChat: client feedback']],
};

function generateInteractions(random: Random, accounts: SampleRecord[], contactsOf: Map<string, SampleRecord[]>): SampleRecord[] {
  const out: SampleRecord[] = [];
  while (out.length < 620) {
    const account = random.pick(accounts);
    const since = maxDate(account['clientSince'] as string, addDays(referenceDate, -400));
    const date = addDays(since, random.int(0, Math.max(0, daysBetween(since, referenceDate) - 1)));
    const channel = random.weighted({ phone: 32, email: 10, webForm: 8, visit: 15, chat: 10, wechat: 25 }) as keyof typeof serviceTopics;
    const [zh, en] = random.pick(serviceTopics[channel]);
    const outcome = random.weighted({ answered: 62, followUp: 14, meetingBooked: 8, noAnswer: 8, complaint: 8 });
    out.push({
      id: random.ulid(new Date(`${date}T04:00:00Z`)),
      account: account.id,
      contact: random.pick(contactsOf.get(account.id)!).id,
      channel,
      direction: channel === 'webForm' ? 'inbound' : random.chance(0.5) ? 'inbound' : 'outbound',
      occurredAt: chinaTime(date, random.int(9, 19), random.int(0, 59)),
      subject: `${zh} ${en}`,
      outcome,
      ...(outcome === 'followUp' ? { followUpOn: addDays(date, random.int(1, 10)) } : {}),
    });
  }
  return out.sort((a, b) => String(a['occurredAt']).localeCompare(String(b['occurredAt'])));
}

function generateCareCalls(random: Random, accounts: SampleRecord[], contactsOf: Map<string, SampleRecord[]>): SampleRecord[] {
  const out: SampleRecord[] = [];
  while (out.length < 260) {
    const account = random.pick(accounts);
    const reason = random.weighted({ periodic: 60, afterService: 20, renewal: 10, lowSatisfaction: 10 });
    const dueOn = maxDate(account['clientSince'] as string, addDays(referenceDate, -random.int(-10, 300)));
    const status = dueOn >= addDays(referenceDate, -3) ? 'open' : random.weighted({ done: 85, skipped: 15 });
    out.push({
      id: random.ulid(new Date(`${addDays(dueOn, -7)}T01:00:00Z`)),
      subject: `${{ periodic: 'Periodic care 定期关怀', afterService: 'After-service call 服务后回访', renewal: 'Renewal call 续约沟通', lowSatisfaction: 'Service recovery 满意度挽回' }[reason]}: ${account['name'] as string}`,
      account: account.id,
      contact: contactsOf.get(account.id)![0]!.id,
      reason,
      channel: account['preferredChannel'],
      dueOn,
      ...(status === 'done'
        ? {
            outcome: random.pick(['设备运行正常，客户满意。Everything runs fine; happy client.', '客户询问续约优惠，已转销售。Asked about renewal offers; passed to sales.', '客户提出保养需求，已建工单。Wants maintenance; request opened.']),
            completedOn: minDate(addDays(dueOn, random.int(-3, 2)), addDays(referenceDate, -1)),
          }
        : {}),
      status,
    });
  }
  return out;
}
