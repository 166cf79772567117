// Realistic Chinese names, places and companies for sample data. Phone numbers use the
// 138-0000-xxxx style placeholder block and e-mail addresses example domains, so that no sample
// record points at a real person.

import type { Random } from './random.ts';

const surnames = [
  '王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '高', '林', '罗',
  '郑', '梁', '谢', '宋', '唐', '许', '韩', '冯', '邓', '曹', '彭', '曾', '肖', '田', '董', '袁', '潘', '蒋', '蔡', '余',
  '杜', '叶', '程', '苏', '魏', '吕', '丁', '任', '沈', '姚', '卢', '姜', '崔', '钟', '谭', '陆', '汪', '范', '金', '石',
];
const givenFemale = ['静', '丽', '敏', '燕', '艳', '娟', '霞', '芳', '婷', '雪', '慧', '琳', '欣', '怡', '佳', '颖', '晓', '梦', '雨', '思', '悦', '璐', '倩', '萍'];
const givenMale = ['伟', '强', '磊', '军', '勇', '杰', '涛', '斌', '超', '明', '刚', '平', '辉', '鹏', '华', '飞', '鑫', '波', '宇', '浩', '凯', '健', '俊', '帆'];

export type Gender = 'female' | 'male';

export function personName(random: Random, gender: Gender): string {
  const pool = gender === 'female' ? givenFemale : givenMale;
  const given = random.chance(0.7) ? random.pick(pool) + random.pick([...pool, ...givenFemale, ...givenMale]) : random.pick(pool);
  return random.pick(surnames) + given;
}

export type Region = 'east' | 'north' | 'south' | 'central' | 'southwest' | 'northwest' | 'northeast';

export interface City {
  city: string;
  province: string;
  region: Region;
  code: string;
  districts: string[];
  postal: string;
}

export const cities: City[] = [
  { city: '上海市', province: '上海', region: 'east', code: 'SH', districts: ['浦东新区', '徐汇区', '静安区', '闵行区', '长宁区'], postal: '200' },
  { city: '杭州市', province: '浙江省', region: 'east', code: 'HZ', districts: ['西湖区', '拱墅区', '滨江区', '余杭区'], postal: '310' },
  { city: '南京市', province: '江苏省', region: 'east', code: 'NJ', districts: ['鼓楼区', '玄武区', '建邺区', '江宁区'], postal: '210' },
  { city: '苏州市', province: '江苏省', region: 'east', code: 'SZ', districts: ['姑苏区', '工业园区', '吴中区'], postal: '215' },
  { city: '北京市', province: '北京', region: 'north', code: 'BJ', districts: ['朝阳区', '海淀区', '东城区', '丰台区', '通州区'], postal: '100' },
  { city: '天津市', province: '天津', region: 'north', code: 'TJ', districts: ['和平区', '南开区', '河西区'], postal: '300' },
  { city: '广州市', province: '广东省', region: 'south', code: 'GZ', districts: ['天河区', '越秀区', '海珠区', '番禺区'], postal: '510' },
  { city: '深圳市', province: '广东省', region: 'south', code: 'SN', districts: ['南山区', '福田区', '宝安区', '龙岗区'], postal: '518' },
  { city: '厦门市', province: '福建省', region: 'south', code: 'XM', districts: ['思明区', '湖里区'], postal: '361' },
  { city: '武汉市', province: '湖北省', region: 'central', code: 'WH', districts: ['江汉区', '武昌区', '洪山区'], postal: '430' },
  { city: '长沙市', province: '湖南省', region: 'central', code: 'CS', districts: ['岳麓区', '芙蓉区', '天心区'], postal: '410' },
  { city: '郑州市', province: '河南省', region: 'central', code: 'ZZ', districts: ['金水区', '二七区', '郑东新区'], postal: '450' },
  { city: '成都市', province: '四川省', region: 'southwest', code: 'CD', districts: ['锦江区', '武侯区', '高新区', '成华区'], postal: '610' },
  { city: '重庆市', province: '重庆', region: 'southwest', code: 'CQ', districts: ['渝中区', '江北区', '南岸区'], postal: '400' },
  { city: '昆明市', province: '云南省', region: 'southwest', code: 'KM', districts: ['五华区', '盘龙区'], postal: '650' },
  { city: '西安市', province: '陕西省', region: 'northwest', code: 'XA', districts: ['雁塔区', '碑林区', '未央区'], postal: '710' },
  { city: '兰州市', province: '甘肃省', region: 'northwest', code: 'LZ', districts: ['城关区', '七里河区'], postal: '730' },
  { city: '沈阳市', province: '辽宁省', region: 'northeast', code: 'SY', districts: ['和平区', '沈河区', '浑南区'], postal: '110' },
  { city: '大连市', province: '辽宁省', region: 'northeast', code: 'DL', districts: ['中山区', '沙河口区'], postal: '116' },
  { city: '哈尔滨市', province: '黑龙江省', region: 'northeast', code: 'HB', districts: ['南岗区', '道里区'], postal: '150' },
];

const roads = ['人民路', '解放路', '中山路', '建设路', '和平路', '长江路', '新华路', '青年路', '文化路', '光明路', '滨江大道', '科技大道', '学府路', '东风路', '迎宾路'];
const compounds = ['阳光花园', '锦绣家园', '翠湖苑', '金色港湾', '碧水蓝天', '枫林小区', '世纪新城', '东方名苑'];

export interface Address {
  street: string;
  city: string;
  region: string;
  postalCode: string;
  country: string;
}

export function address(random: Random, city: City, kind: 'business' | 'home' = 'business'): Address {
  const district = random.pick(city.districts);
  const street =
    kind === 'home'
      ? `${district}${random.pick(compounds)}${random.int(1, 30)}栋${random.int(1, 3)}单元${random.int(1, 32)}0${random.int(1, 4)}室`
      : `${district}${random.pick(roads)}${random.int(1, 999)}号`;
  return { street, city: city.city, region: city.province, postalCode: `${city.postal}${String(random.int(0, 999)).padStart(3, '0')}`, country: 'CN' };
}

/** Mobile numbers in the 138/139/186/187-0000-xxxx placeholder blocks, never repeated. */
export class PhoneBook {
  private used = new Set<string>();
  constructor(private readonly random: Random) {}
  mobile(): string {
    for (;;) {
      const number = `+86 ${this.random.pick(['138', '139', '186', '187'])} 0000 ${String(this.random.int(0, 9999)).padStart(4, '0')}`;
      if (!this.used.has(number)) {
        this.used.add(number);
        return number;
      }
    }
  }
  landline(city: City): string {
    const area: Record<string, string> = { SH: '21', BJ: '10', TJ: '22', GZ: '20', SN: '755', CQ: '23', CD: '28', WH: '27', NJ: '25', XA: '29', SY: '24' };
    return `+86 ${area[city.code] ?? '571'} 0000 ${String(this.random.int(0, 9999)).padStart(4, '0')}`;
  }
}

export function emailFor(prefix: string, domain = 'example.cn'): string {
  return `${prefix}@${domain}`;
}

const tradeWords = ['鑫源', '恒通', '福瑞', '永盛', '华联', '佳禾', '丰泽', '嘉和', '润通', '宏达', '瑞丰', '金穗', '百顺', '兴隆', '万家', '联华', '安泰', '汇丰', '众诚', '天成', '德隆', '利民', '盛世', '新禾'];

/** A company name that reads like a real Chinese firm, unique within one generator run. */
export class CompanyNames {
  private used = new Set<string>();
  constructor(private readonly random: Random) {}
  make(city: City, business: readonly string[]): string {
    for (let attempt = 0; ; attempt++) {
      const word = this.random.pick(tradeWords) + (attempt > 20 ? this.random.pick(tradeWords) : '');
      const name = `${city.city.replace('市', '')}${word}${this.random.pick(business)}`;
      if (!this.used.has(name)) {
        this.used.add(name);
        return name;
      }
    }
  }
}
