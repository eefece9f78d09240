// A knowledge base where choices are natural: three products' warranties ("保修期多久" is close to all three,
// sure of none) beside two entries a question can match alone.
export const WARRANTIES = [
  { id: "kb-023", question: "智能门锁的保修期是多久？", answer: "智能门锁整机保修2年。", tags: ["保修期", "智能门锁"] },
  { id: "kb-024", question: "扫地机器人的保修期是多久？", answer: "扫地机器人整机保修1年，电池保修6个月。", tags: ["保修期", "扫地机器人"] },
  { id: "kb-026", question: "空气净化器的保修期是多久？", answer: "空气净化器整机保修1年，电机保修3年。", tags: ["保修期", "空气净化器"] },
  { id: "kb-003", question: "返利什么时候到账？", answer: "季度返利在下一季度首月20日前发放至返利账户。", tags: ["返利"] },
  { id: "kb-015", question: "下单后多久发货？", answer: "工作日16点前付款的订单当天发货。", tags: ["物流"] },
];
