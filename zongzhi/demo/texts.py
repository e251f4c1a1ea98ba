"""Title and description templates for the demo cases, per dispute type, with slots.

Written for this project (invented situations typical of rural Yunnan), not taken from any
corpus. Slots: {a} {b} party names, {village} {town} places, {group} a villagers' group,
{crop} a crop, {amount} yuan, {area} mu, {count} people, {months}, {company}, {road}.
"""

import random

CROPS = ("柑桔", "烤烟", "核桃", "咖啡", "茶叶", "甘蔗", "蓝莓", "花卉", "芒果", "蔬菜", "玉米")
COMPANIES = (
    "鑫源果蔬公司", "华丰农业合作社", "顺达建筑劳务公司", "永兴物流公司", "金穗种植合作社",
    "宏远建材厂", "绿源茶叶公司", "盛和物业公司", "云岭食品厂", "通达运输公司",
)  # fmt: skip
ROADS = ("玉兴路", "聂耳路", "龙马路", "东风路", "南苑路", "文化路", "凤凰路", "建设路")
GENERIC_TAILS = (
    "双方多次协商未果，请求调解。",
    "当事人情绪较为激动，请求尽快处理。",
    "经网格员初步了解，双方分歧较大，需进一步调查核实。",
)
GROUPS = ("一组", "二组", "三组", "四组", "五组", "六组", "上寨组", "下寨组", "大箐组")

# Title i goes with description i; titles beyond the descriptions get a short generic one.
TEMPLATES: dict[str, dict[str, tuple[str, ...]]] = {
    "marriage-family": {
        "titles": (
            "{a}与子女因赡养老人问题发生争执",
            "{a}、{b}夫妻因离婚财产分割发生纠纷",
            "{village}{a}兄弟因分家析产发生矛盾",
            "{a}反映儿子{b}长期不支付赡养费",
            "{a}与儿媳{b}因家务琐事多次争吵",
        ),
        "descriptions": (
            "{a}现年七十余岁，独居在{village}{group}，反映几个子女互相推诿，"
            "每月赡养费{amount}元长期未落实，请求村里出面协调。",
            "{a}与{b}结婚多年，因{b}长期外出务工、家庭开支问题矛盾激化，"
            "双方均提出离婚，对宅基地上的房屋和{area}亩{crop}地分配存在分歧。",
            "{a}家兄弟三人分家时对老宅归属和{amount}元征地补偿款分配意见不一，"
            "近日发生口角，邻居担心矛盾升级。",
        ),
    },
    "neighbourhood": {
        "titles": (
            "{a}与邻居{b}因排水沟堵塞发生争执",
            "{village}{a}、{b}两户因通行道路问题产生矛盾",
            "{a}反映邻居{b}建房遮挡采光",
            "{a}与{b}因家禽毁坏菜地发生口角",
            "{road}小区住户{a}反映楼上{b}长期噪音扰民",
        ),
        "descriptions": (
            "{a}与{b}系{village}{group}相邻住户，{b}翻修院墙时将排水沟堵塞，"
            "雨季积水倒灌{a}家厨房，双方多次争吵未果，请求调解。",
            "{b}在两户之间的通道上堆放建材，{a}家的农用车无法通行，"
            "{a}多次要求清理无果，双方情绪对立。",
            "{b}家新建三层住房，{a}认为距离过近影响采光通风，要求赔偿{amount}元，"
            "{b}不同意，双方僵持。",
        ),
    },
    "land-forest": {
        "titles": (
            "{a}与{b}因田埂地界不清发生纠纷",
            "{village}{group}与邻村因边界山林权属发生争议",
            "{a}反映{b}侵占其承包的{area}亩{crop}地",
            "{a}、{b}两户因宅基地界址发生争执",
            "{village}村民因集体林地流转收益分配产生矛盾",
        ),
        "descriptions": (
            "{a}与{b}承包地相邻，{b}翻犁时将田埂向{a}一侧移动约半米，"
            "{a}认为侵占了其{crop}地，双方在地头发生推搡，网格员到场劝开。",
            "{village}{group}与邻村对一片约{area}亩的山林权属各执一词，"
            "双方均持有不同时期的林权证明，涉及{count}户村民，情绪较为激动。",
            "{a}称{b}在其承包地上种植{crop}已有两年，多次协商未果，"
            "要求{b}退还土地并赔偿损失{amount}元。",
        ),
    },
    "wages": {
        "titles": (
            "{count}名务工人员反映{company}拖欠工资",
            "{company}{crop}分拣包装工人因计件工价发生纠纷",
            "{a}工伤后与{company}就待遇问题协商未果",
            "{a}等人讨要{crop}采摘工钱",
            "{a}反映在{company}务工的劳动报酬未结清",
        ),
        "descriptions": (
            "{a}等{count}名务工人员在{company}承建的项目上务工{months}个月，"
            "累计被拖欠工资约{amount}元，多次讨要未果，情绪激动，扬言集体上访。",
            "{count}名工人在{company}从事{crop}分拣包装，因计件工价由每筐3元降为2元"
            "产生争议，部分工人停工，现场有聚集苗头。",
            "{a}在{company}务工期间受伤，住院花费{amount}元，公司仅垫付部分费用，"
            "双方对工伤待遇认定意见不一。",
        ),
    },
    "contract": {
        "titles": (
            "{a}与{b}因借款{amount}元到期未还发生纠纷",
            "{a}与{company}因土地流转合同租金发生纠纷",
            "{a}与{b}因铺面租赁合同提前解除发生争执",
            "{a}反映{b}拖欠{crop}收购款",
        ),
        "descriptions": (
            "{b}于前年向{a}借款{amount}元用于种植{crop}，约定一年归还，"
            "现已逾期，{a}多次催要，{b}以收成不好为由拖延。",
            "{a}将{area}亩土地流转给{company}种植{crop}，合同约定每年租金{amount}元，"
            "今年租金至今未付，{a}等农户要求收回土地。",
            "{a}租用{b}位于{road}的铺面经营小吃，{b}要求提前收回房屋，"
            "双方对装修损失和押金退还意见不一。",
        ),
    },
    "consumer": {
        "titles": (
            "{a}反映购买的农药导致{crop}减产",
            "{a}与{company}因预付卡退费发生纠纷",
            "{a}反映购买的{crop}种苗成活率低",
            "{a}投诉购买的电动车存在质量问题",
        ),
        "descriptions": (
            "{a}在镇上农资店购买农药喷施{area}亩{crop}后出现药害，"
            "估算损失{amount}元，要求店主赔偿，店主认为使用方法不当。",
            "{a}在{road}一家健身店办理预付卡{amount}元，店铺突然停业，{a}等{count}名会员要求退费。",
            "{a}购买的{crop}种苗成活率不足五成，认为种苗质量有问题，要求退款{amount}元。",
        ),
    },
    "medical": {
        "titles": (
            "{a}家属对卫生院诊疗结果有异议",
            "{a}手术后出现并发症，家属要求赔偿",
            "{a}家属与村卫生室因用药问题发生争执",
        ),
        "descriptions": (
            "{a}在卫生院治疗后病情加重转院，家属认为存在延误诊治，"
            "要求赔偿{amount}元，情绪激动，在医院聚集。",
            "{a}在县医院手术后出现感染，家属对医疗费用和后续治疗存在争议，"
            "申请医疗纠纷人民调解委员会调解。",
        ),
    },
    "property-management": {
        "titles": (
            "{road}小区业主与{company}因物业费上涨发生纠纷",
            "{a}反映小区电梯长期故障无人维修",
            "小区业主因公共车位收费问题与物业产生矛盾",
        ),
        "descriptions": (
            "{road}小区物业服务企业拟将物业费每平方米上调0.5元，"
            "{count}户业主联名反对，认为服务质量差，双方在小区内发生争执。",
            "{a}居住的单元电梯故障已近{months}个月，物业称维修资金不足，"
            "老人出行困难，业主情绪较大。",
        ),
    },
    "traffic": {
        "titles": (
            "{a}与{b}因交通事故赔偿发生纠纷",
            "{a}运送{crop}途中与{b}车辆碰擦，双方就赔偿协商未果",
            "{a}被{company}货车剐蹭受伤，要求赔偿",
        ),
        "descriptions": (
            "{a}驾驶摩托车在乡村道路上与{b}驾驶的面包车相撞，{a}受伤住院，"
            "交警认定{b}负主要责任，双方对{amount}元赔偿数额存在分歧。",
            "{a}驾驶三轮车运送{crop}途中与{b}的车辆发生碰擦，货物损失约{amount}元，"
            "双方对责任划分各执一词。",
        ),
    },
    "land-requisition": {
        "titles": (
            "{village}部分村民对征地补偿标准有异议",
            "{a}反映房屋拆迁安置面积计算有误",
            "{village}{group}村民对征地补偿款分配方案有意见",
        ),
        "descriptions": (
            "{village}因道路建设征收土地{area}亩，{count}户村民认为地上附着物{crop}的"
            "补偿标准偏低，要求重新评估，部分村民阻挠施工。",
            "{a}家房屋被列入拆迁范围，认为安置面积少算了{area}平方米，多次到镇政府反映，情绪激动。",
        ),
    },
    "environment": {
        "titles": (
            "{village}村民反映养殖场粪污影响生活",
            "{a}反映{company}夜间施工噪声扰民",
            "{village}村民反映加工厂废水污染灌溉水源",
        ),
        "descriptions": (
            "{b}在{village}{group}经营生猪养殖场，粪污直排沟渠，气味刺鼻，"
            "{count}户村民联名反映，要求停业整改。",
            "{company}在{road}旁的工地夜间施工至凌晨，{a}等居民多次投诉无果，情绪较大。",
            "{village}附近一家{crop}加工厂排放废水，下游{area}亩农田灌溉受影响，"
            "村民要求赔偿损失{amount}元。",
        ),
    },
    "construction": {
        "titles": (
            "{a}反映{company}拖欠工程款{amount}元",
            "{a}与{b}因自建房施工质量发生纠纷",
            "{a}反映邻近工地施工导致其房屋开裂",
        ),
        "descriptions": (
            "{a}承包了{company}的一段挡墙工程，竣工已{months}个月，"
            "仍有{amount}元工程款未结算，工人天天催要工钱。",
            "{b}施工队为{a}建房，入住不久墙体出现裂缝，{a}要求返工并赔偿，{b}认为是地基沉降所致。",
        ),
    },
    "industry": {
        "titles": (
            "{crop}种植户与收购商因收购价格发生纠纷",
            "{village}{crop}合作社社员因分红问题产生矛盾",
            "{count}名果农与{company}因{crop}包装费用发生争执",
            "{a}等烟农对{crop}收购定级有异议",
        ),
        "descriptions": (
            "{company}与{village}{count}户{crop}种植户签订收购协议，采收时以品质为由"
            "压低价格，每公斤差价约0.8元，农户拒绝交售，双方僵持。",
            "{village}{crop}合作社年底分红，部分社员认为账目不公开，"
            "要求公布收支明细，涉及金额{amount}元。",
            "{count}名果农与{company}就{crop}分级包装费用的承担发生争执，"
            "影响鲜果按时外运，损失正在扩大。",
        ),
    },
    "other": {
        "titles": (
            "{a}反映村务公开不及时",
            "{a}与{b}因宠物狗咬伤发生纠纷",
            "{a}与{b}因网络言语冲突引发矛盾",
            "{village}村民对村内道路硬化选线有意见",
        ),
        "descriptions": (
            "{a}反映{village}村务公开栏长期未更新，对低保评定有疑问，要求说明。",
            "{b}家的狗咬伤{a}的孙子，医药费{amount}元，双方对赔偿数额意见不一。",
            "{a}与{b}在微信群中互相辱骂，线下见面险些动手，双方亲属均有参与。",
        ),
    },
}


def case_text(rng: random.Random, type_code: str, slots: dict[str, str]) -> tuple[str, str]:
    """(title, description) for a dispute type; unknown types use the 'other' templates."""
    templates = TEMPLATES.get(type_code, TEMPLATES["other"])
    # One draw of the random slots for both texts, so that they tell the same story.
    shared = {
        "crop": rng.choice(CROPS),
        "company": rng.choice(COMPANIES),
        "road": rng.choice(ROADS),
        "group": rng.choice(GROUPS),
        "amount": f"{rng.choice([3, 5, 8, 12, 20, 35, 60, 120, 260]) * 1000:,}",
        "area": str(rng.choice([2, 3, 5, 8, 12, 20, 35, 60])),
        "months": str(rng.randint(2, 11)),
        "count": str(rng.randint(5, 40)),
        **slots,
    }
    index = rng.randrange(len(templates["titles"]))
    title = templates["titles"][index].format(**shared)
    if index < len(templates["descriptions"]):
        description = templates["descriptions"][index].format(**shared)
    else:
        description = f"{title}。{rng.choice(GENERIC_TAILS)}"
    return title[:120], description
