"""Words of Vietnamese local government, in folded form (see `text.fold`).

Sources: ../shared/reference/vocabulary.md (titles, bodies, index phrasing) and
the common Vietnamese surnames. Everything here is compared folded, so "Thành uỷ",
"Thành ủy" and "Thanh uy" are one entry.
"""
from __future__ import annotations

SURNAMES = frozenset(
    """nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly dinh dao
    doan lam mai truong trinh cao luong ha ta thai chau to la luu kieu quach trieu tang
    than au diep phung tu mac nong lo hua khong ton vien chu chung quan giang vuong lac
    mach kim ong luc bach dam vi nghiem ninh doan khuc lai ma thach danh son dieu y h
    ka k ro nay linh van khuat long thieu uong yen lang tieu sung giang thao vang mua lau chang hang
    lu tong quang nie kpa ksor rahlan siu rmah bya eban xa dinh cu lo luong mong""".split()
)

HONORIFICS = (
    "dong chi", "d/c", "đ/c", "ong", "ba", "anh", "chi", "pgs.ts.", "pgs.ts", "ts.", "ths.", "bs.",
    "nha giao", "thuong ta", "trung ta", "dai ta", "thieu ta", "dai uy",
)

# Heads that start a title. Longest first so "pho chu tich" wins over "chu tich".
_HEADS = (
    """chu tich|pho chu tich|bi thu|pho bi thu|truong ban|pho truong ban|truong phong|
    pho truong phong|giam doc|pho giam doc|uy vien|chanh van phong|pho chanh van phong|
    chanh thanh tra|pho chanh thanh tra|chu nhiem|pho chu nhiem|chi huy truong|
    chi huy pho|hieu truong|pho hieu truong|thu tuong|pho thu tuong|bo truong|thu truong|
    truong cong an|pho truong cong an|huyen uy vien|tinh uy vien|thanh uy vien|
    dang uy vien|truong doan|pho truong doan|truong thon|truong ap|truong khu pho|
    truong tram|tong bi thu|chu tich nuoc|dai bieu quoc hoi|cong chuc|can bo|
    truong|pho truong|chanh an|vien truong|tong giam doc|vu truong|pho vu truong|cuc truong|pho cuc truong|
    dai bieu hdnd|dai bieu hoi dong nhan dan|chu tich hoi|pho chu tich hoi|bi thu doan|pho bi thu doan|
    pct|pbt|ct ubnd|ct hdnd|ct ubmttq|ct uy ban|bt dang uy|bt chi bo|bt huyen uy"""
)
TITLE_HEADS = tuple(sorted({h.strip() for h in _HEADS.replace("\n", " ").split("|") if h.strip()}, key=len, reverse=True))

# Words that end a title chain: what the person does next.
ROLE_VERBS = {
    "chair": ("dong chu tri", "chu tri", "chu toa"),
    "speaker": ("phat bieu chi dao", "phat bieu", "ket luan", "chi dao", "bao cao", "trinh bay", "tham luan",
                "cho biet", "nhan manh", "tiep thu", "giai dap", "tra loi", "trien khai"),
    # Verbs that make a speaker only of someone at the event (chair or attendee): a Chủ tịch
    # who "yêu cầu" in a plan he signed is not speaking at a meeting.
    "soft-speaker": ("yeu cau", "de nghi", "giao ", "danh gia cao", "bieu duong", "luu y"),
    "signer": ("da ky", "ky ban hanh", "ky quyet dinh", "ky"),
    "attendee": ("tham du", "den du", "cung du", "du "),
}
TITLE_STOPS = (
    "dong chu tri", "chu tri", "chu toa", "phat bieu", "ket luan", "chi dao", "bao cao",
    "da ky", "ky ", "trao ", "lam truong doan", "lam ", "cung ", "cho biet", "nhan manh",
    "de nghi", "yeu cau", "giao ", "tham du", "du ", "den du", "to chuc", "tien hanh",
    "kiem tra", "thong tin", "trinh bay", "quan triet", "tai ", "va ", "voi ", "da ",
    "dang ", "se ", "duoc ", "trinh bay", "tham luan", "ghi nhan", "danh gia", "khang dinh", "ban hanh", "hop ",
    "trien khai", "de ra", "khen ngoi", "bieu duong", "tang ", "dong vien", "phu trach",
)

ATTEND_CUES = ("du ky hop co", "du hoi nghi co", "du cuoc hop co", "du buoi lam viec co", "du le co",
               "du buoi lam viec", "du hoi nghi", "du ky hop", "ve du co", "ve phia", "cung du co", "cung di co", "voi doan co", "tiep doan co", "thanh vien doan", "co su tham du cua", "tham du co", "den du co", "tham du", "den du", "cung du", "du hop", "du hoi nghi", "du buoi", "co su tham gia cua", "tham gia co")
CHAIR_OF_CUES = ("duoi su chu tri cua", "duoi su chu toa cua")

# Administrative levels as they appear before a unit name.
LEVELS = {
    "thanh pho": "thành phố", "tp.": "thành phố", "tp": "thành phố", "thi xa": "thị xã", "tx.": "thị xã",
    "thi tran": "thị trấn", "tt.": "thị trấn", "tinh": "tỉnh", "huyen": "huyện", "quan": "quận",
    "xa": "xã", "phuong": "phường", "p.": "phường",
}
LEVEL_RANK = {"tỉnh": 0, "thành phố": 1, "huyện": 1, "quận": 1, "thị xã": 1, "xã": 2, "phường": 2, "thị trấn": 2}

# Party committees name their level inside the word.
COMMITTEE_LEVEL = {"huyen uy": "huyện", "thanh uy": "thành phố", "thi uy": "thị xã", "quan uy": "quận", "tinh uy": "tỉnh", "dang uy": None}

EVENT_KINDS = (
    ("dong chu tri", None),
    ("hoi nghi", "conference"), ("so ket", "conference"), ("tong ket", "conference"),
    ("phat dong", "campaign"), ("ra quan", "campaign"),
    ("doan kiem tra", "inspection"), ("kiem tra", "inspection"), ("giam sat", "inspection"),
    ("cuoc hop", "meeting"), ("buoi hop", "meeting"), ("hop ", "meeting"), ("hop,", "meeting"),
    ("buoi lam viec", "meeting"), ("lam viec voi", "meeting"), ("tiep xuc cu tri", "meeting"),
    ("toa dam", "conference"), ("dien dan", "conference"), ("tap huan", "other"), ("le ", "other"),
)

DOCUMENT_KINDS = (
    "kế hoạch", "quyết định", "nghị định", "nghị quyết", "chỉ thị", "công văn", "thông báo",
    "thông tư", "báo cáo", "tờ trình", "hướng dẫn", "kết luận", "chương trình", "công điện", "luật", "quy định",
)
# Suffix of a document number -> its issuer (folded suffix, longest first when matching).
DOCUMENT_ISSUERS = {
    "nd-cp": "Chính phủ", "nq-cp": "Chính phủ", "qd-ttg": "Thủ tướng Chính phủ", "ct-ttg": "Thủ tướng Chính phủ",
    "nq/tw": "Ban Chấp hành Trung ương Đảng", "ct/tw": "Bộ Chính trị", "kl/tw": "Bộ Chính trị",
    "qdi/tw": "Bộ Chính trị", "hd/tw": "Ban Bí thư",
}
# Ministries and central bodies named by their code inside a number ("5324/BNV-CQĐP").
ISSUER_CODES = {
    "bnv": "Bộ Nội vụ", "btc": "Bộ Tài chính", "btttt": "Bộ Thông tin và Truyền thông", "bkhdt": "Bộ Kế hoạch và Đầu tư",
    "btp": "Bộ Tư pháp", "vpcp": "Văn phòng Chính phủ", "bca": "Bộ Công an", "bqp": "Bộ Quốc phòng",
    "byt": "Bộ Y tế", "bgddt": "Bộ Giáo dục và Đào tạo", "bldtbxh": "Bộ Lao động - Thương binh và Xã hội",
    "btnmt": "Bộ Tài nguyên và Môi trường", "bnnptnt": "Bộ Nông nghiệp và Phát triển nông thôn",
}
# Party committees by the code after the slash: documents signed by their standing committee.
PARTY_ISSUERS = {"hu": ("Ban Thường vụ Huyện ủy", "huyện"), "tu": ("Ban Thường vụ Tỉnh ủy", "tỉnh"),
                 "thu": ("Ban Thường vụ Thành ủy", "thành phố"), "tx": ("Ban Thường vụ Thị ủy", "thị xã"),
                 "du": ("Đảng ủy", "xã"),
                 # the committees' own boards: "05-HD/BTGTU" is the Ban Tuyên giáo Tỉnh ủy's
                 "btgtu": ("Ban Tuyên giáo Tỉnh ủy", "tỉnh"), "btghu": ("Ban Tuyên giáo Huyện ủy", "huyện"),
                 "bdvtu": ("Ban Dân vận Tỉnh ủy", "tỉnh"), "bdvhu": ("Ban Dân vận Huyện ủy", "huyện"),
                 "btctu": ("Ban Tổ chức Tỉnh ủy", "tỉnh"), "btchu": ("Ban Tổ chức Huyện ủy", "huyện"),
                 "ubkttu": ("Ủy ban Kiểm tra Tỉnh ủy", "tỉnh"), "ubkthu": ("Ủy ban Kiểm tra Huyện ủy", "huyện")}

# An index named as such: a value in the same sentence is its result.
INDICES = (
    ("chi so cai cach hanh chinh", "CCHC"), ("chi so cchc", "CCHC"), ("par index", "CCHC"), ("sipas", "SIPAS"),
    ("chi so hai long", "SIPAS"), ("papi", "PAPI"), ("pci", "PCI"), ("chi so nang luc canh tranh", "PCI"),
    ("dti", "DTI"), ("chi so chuyen doi so", "DTI"),
)
# The topic an article is about: which index a bare "xếp loại khá" belongs to.
INDEX_TOPICS = INDICES + (("cchc", "CCHC"), ("cai cach hanh chinh", "CCHC"), ("chuyen doi so", "DTI"),
                          ("nang luc canh tranh", "PCI"))
GRADES = ("xuat sac", "tot", "kha", "trung binh", "yeu", "kem")
SCOPES = (("toan tinh", "tỉnh"), ("ca nuoc", "cả nước"), ("toan quoc", "cả nước"), ("khoi huyen", "khối huyện"),
          ("khoi so", "khối sở"), ("toan huyen", "huyện"), ("khoi xa", "khối xã"), ("trong tinh", "tỉnh"))
