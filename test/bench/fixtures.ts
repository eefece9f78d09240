// Deterministic fake client files for benchmarks: realistic Chinese company names, cities, tiers.
import type { PartnerRecord } from "../../src/partners/parse-rows.ts";
import { TIER_ORDER } from "../../src/partners/fields.ts";

const CITIES = ["杭州", "上海", "广州", "深圳", "成都", "武汉", "西安", "南京", "苏州", "宁波", "重庆", "天津", "长沙", "郑州", "青岛", "厦门", "福州", "合肥", "济南", "沈阳", "大连", "昆明", "南宁", "贵阳", "无锡", "佛山", "东莞", "温州", "金华", "嘉兴", "绍兴", "台州", "常州", "南通", "徐州", "烟台", "潍坊", "泉州", "珠海", "中山"];
const WORDS = ["云帆", "申达", "穗安", "锦城", "江城", "长安", "华创", "联达", "恒通", "鑫源", "天成", "宏图", "瑞丰", "嘉禾", "伟业", "博远", "新锐", "万家", "百川", "汇通", "正泰", "明德", "启航", "安居", "智联", "康桥", "金诚", "海纳", "鼎盛", "美好", "优品", "星辰", "光明", "未来", "同创", "和信", "易达", "顺丰", "东方", "南山", "北辰", "西子", "中科", "泰和", "永安", "盛世", "远航", "卓越", "信达", "众合"];
const KINDS = ["智能科技有限公司", "电器贸易有限公司", "安防设备有限公司", "家居体验馆", "数码城", "物联网服务有限公司", "系统集成有限公司", "商贸有限公司", "电子商行", "智能家居专卖店"];
const SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗";
const TITLES = ["总经理", "副总经理", "采购经理", "店长", "老板", "采购", "财务", "运营主管"];
const GIVEN = ["伟", "芳", "娜", "敏", "静", "强", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明", "超", "秀英", "丽", "刚", "平"];

/** A small seeded PRNG (mulberry32) so every run measures the same data. */
export function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function fakePartners(count: number, seed = 42): PartnerRecord[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  return Array.from({ length: count }, (_, i) => {
    const city = pick(CITIES);
    return {
      code: `P${String(i + 1).padStart(6, "0")}`,
      name: `${city}${pick(WORDS)}${pick(WORDS)}${pick(KINDS)}`,
      city,
      region: null,
      address: null,
      industry: null,
      size: null,
      creditLimit: Math.round(r() * 100) * 10_000,
      tier: pick(TIER_ORDER),
      relationship: null,
      isKeyAccount: r() < 0.1,
      contactEveryDays: pick([7, 14, 30, 60]),
      ownerName: null,
      partnerSince: null,
      notes: null,
      tags: null,
      timeZone: null,
      contacts: [0, 1].map((k) => ({
        name: `${pick([...SURNAMES])}${pick(GIVEN)}${k}`,
        title: pick(TITLES),
        // Unique numbers and addresses, as real ones are: 139 + eight digits from the partner and the contact.
        phone: `139${String(i * 2 + k).padStart(8, "0")}`,
        email: `c${k}@p${i + 1}.example`,
        birthday: null,
        wedding: null,
      })),
      row: i + 2,
    };
  });
}

const LINES = ["请问这个月的返利什么时候到账?", "收到,谢谢", "新品的价格表发一下", "门锁保修几年?", "好的", "下周培训在哪里报名", "账期能不能延长到60天", "👍", "我们这边库存不多了", "发票已经寄出"];
export const fakeLine = (i: number) => LINES[i % LINES.length];
