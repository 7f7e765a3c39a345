"""The demo catalogue's electronic licences and its English content (portal/translated.py), kept
beside portal/demo_catalogue.py and applied by portal.demo to services the demo made."""

# The electronic licence (电子证照) each service's approval issues into the holder's wallet.
LICENCE_KINDS = {
    "marriage-registration": "marriage-certificate",
    "divorce-registration": "divorce-certificate",
    "driving-licence-renewal": "driving-licence",
    "tour-guide-licence": "tour-guide-card",
    "enterprise-establishment": "business-licence",
    "enterprise-change": "business-licence",
    "food-business-licence": "food-business-licence",
    "high-tech-enterprise": "high-tech-certificate",
    "travel-agency-licence": "travel-agency-licence",
}
# Materials (by their Chinese name) a wallet licence of that kind may stand for.
MATERIAL_LICENCES = {
    "结婚证": "marriage-certificate",
    "营业执照": "business-licence",
}


DEPARTMENTS_EN = {
    "上海市民政局": "Shanghai Civil Affairs Bureau",
    "上海市市场监督管理局": "Shanghai Administration for Market Regulation",
    "上海市公安局": "Shanghai Public Security Bureau",
    "上海市人力资源和社会保障局": "Shanghai Human Resources and Social Security Bureau",
    "国家税务总局上海市税务局": "Shanghai Tax Service, State Taxation Administration",
    "上海市文化和旅游局": "Shanghai Culture and Tourism Bureau",
    "上海市科学技术委员会": "Shanghai Science and Technology Commission",
    "上海市发展和改革委员会": "Shanghai Development and Reform Commission",
    "上海市教育局": "Shanghai Education Bureau",
    "上海市公积金管理中心": "Shanghai Housing Provident Fund Management Centre",
}

MATERIALS_EN = {
    "购房合同或租赁登记证明": "House purchase contract or rental registration certificate",
    "本人银行账户": "Your own bank account",
    "住房证明": "Proof of housing",
    "住所使用证明": "Proof of the right to use the premises",
    "公司章程": "Articles of association",
    "出生医学证明": "Medical certificate of birth",
    "劳动合同": "Employment contract",
    "劳动合同或就读证明": "Employment contract or proof of study",
    "劳动合同或注册证明": "Employment contract or registration certificate",
    "双方近期半身免冠合影照片（二寸）": "Recent photo of both of you together, head and shoulders (2-inch)",
    "女方居民户口簿": "Woman's household register",
    "女方居民身份证": "Woman's resident ID card",
    "学历学位证书": "Diploma and degree certificates",
    "家庭收入情况声明": "Statement of household income",
    "导游人员资格证书": "Tour guide qualification certificate",
    "居住登记凭证": "Residence registration receipt",
    "居民户口簿": "Household register",
    "引进人才身份证件": "ID document of the recruited person",
    "房地产权证或租赁备案": "Property certificate or registered lease",
    "技术合同文本": "Text of the technology contract",
    "数码相片回执": "Digital photo receipt",
    "本人社会保障卡或银行账户": "Your social security card or bank account",
    "本人银行账户": "Your bank account",
    "法定代表人身份证件": "ID document of the legal representative",
    "清算报告": "Liquidation report",
    "父母双方居民身份证": "Both parents' resident ID cards",
    "申请书（平台在线填写后自动生成，无需另行上传）": "Application (made from the online form; no upload needed)",
    "申请人居民身份证": "Applicant's resident ID card",
    "男方居民户口簿": "Man's household register",
    "男方居民身份证": "Man's resident ID card",
    "知识产权证明": "Proof of intellectual property",
    "研发费用专项审计报告": "Special audit report on R&D expenses",
    "离婚协议书": "Divorce agreement",
    "离婚证或配偶死亡证明（再婚者）": "Divorce certificate or spouse's death certificate (if remarrying)",
    "经营场所平面布局图": "Floor plan of the premises",
    "经营场所证明": "Proof of business premises",
    "经营管理人员和导游名单": "List of managers and tour guides",
    "结婚证": "Marriage certificate",
    "股东会决议或决定": "Shareholders' resolution or decision",
    "营业执照": "Business licence",
    "解除或终止劳动合同证明": "Proof that the employment contract ended",
    "身体条件证明": "Medical fitness certificate",
    "近期二寸免冠证件照片": "Recent 2-inch ID photo",
    "项目基本情况说明": "Project description",
    "食品安全管理制度": "Food safety management rules",
}
FORMS_EN = {
    "副本扫描件": "Scan of the duplicate original",
    "原件扫描件": "Scan of the original",
    "双方签字件扫描件": "Scan signed by both parties",
    "在线填写": "Filled in online",
    "扫描件": "Scan",
    "电子回执": "Electronic receipt",
    "电子照片": "Digital photo",
    "电子照片 3 张": "3 digital photos",
    "签字扫描件": "Signed scan",
    "签字盖章件扫描件": "Signed and sealed scan",
}
SOURCES_EN = {
    "不动产登记机构": "Real estate registration office",
    "产权人": "Owner of the property",
    "企业": "The enterprise",
    "会计师事务所": "Accounting firm",
    "公安机关": "Public security authority",
    "助产机构": "Maternity hospital",
    "医疗机构": "Medical institution",
    "原用人单位": "Former employer",
    "合同双方": "Both parties to the contract",
    "国家知识产权局": "National Intellectual Property Administration",
    "婚姻登记机关": "Marriage registry",
    "市场监督管理部门": "Market regulation authority",
    "文化和旅游部": "Ministry of Culture and Tourism",
    "清算组": "Liquidation committee",
    "照相馆": "Photo studio",
    "用人单位": "Employer",
    "用人单位或学校": "Employer or school",
    "申请人": "The applicant",
    "社区": "Neighbourhood committee",
    "高校": "University",
}
LOCATIONS_EN = {
    "上海市公安局出入境管理局": "Exit and Entry Administration, Shanghai Public Security Bureau",
    "上海市公积金管理中心": "Shanghai Housing Provident Fund Management Centre",
    "上海市社会保险事业管理中心": "Shanghai Social Insurance Management Centre",
    "一方常住户口所在地婚姻登记处": "The marriage registry where one of you has household registration",
    "上海市人才服务中心": "Shanghai Talent Service Centre",
    "上海市公安局交通警察总队车辆管理所": "Vehicle Administration Office, Shanghai Traffic Police",
    "上海市技术市场管理办公室": "Shanghai Technology Market Office",
    "上海市文化和旅游局": "Shanghai Culture and Tourism Bureau",
    "上海市科学技术委员会": "Shanghai Science and Technology Commission",
    "各区婚姻登记处（以预约为准）": "District marriage registries (as booked)",
    "各区就业促进中心": "District employment promotion centres",
    "各区市场监督管理局": "District market regulation bureaus",
    "各区行政服务中心": "District administrative service centres",
    "各区行政服务中心市场监管窗口": "Market regulation counters of the district service centres",
    "居住地社区事务受理服务中心": "Community affairs centre where you live",
    "户口所在地派出所户籍窗口": "Household registration counter of your local police station",
    "户籍或居住地所在区教育局": "District education bureau where you are registered or live",
    "户籍所在地街道社区事务受理服务中心": "Community affairs centre of your registered sub-district",
    "户籍派出所或就近受理点": "Your registered police station or the nearest service point",
    "投资项目在线审批监管平台": "Online investment project approval platform",
    "父母一方户籍派出所": "Police station where one parent is registered",
    "电子税务局": "Electronic tax bureau (online)",
    "街道社区事务受理服务中心": "Sub-district community affairs centre",
}
HOURS_EN = {
    "全天": "Any time",
    "周一至周五 9:00–17:00": "Monday to Friday, 9:00–17:00",
    "周一至周五 9:00–17:00（法定节假日除外）": "Monday to Friday, 9:00–17:00 (except public holidays)",
    "周一至周六 9:00–17:00": "Monday to Saturday, 9:00–17:00",
    "报名期间 9:00–16:00": "During the enrolment period, 9:00–16:00",
}

FEE_BASIS_EN = {
    "《关于降低出入境证照类行政事业性收费标准的通知》": "Notice on lowering the fees for exit and entry documents",
    "演示收费项目，用于展示在线缴费流程": "Demonstration fee, to show online payment",
    "《关于居民身份证收费标准及有关问题的通知》（发改价格〔2003〕2322号）": (
        "Notice on the fees for resident ID cards (Fagaijiage [2003] No. 2322)"
    ),
    "《关于公安部门有关证照收费标准的通知》": "Notice on the fees for licences issued by public security authorities",
}

# code: (summary, legal basis, conditions, steps, result, [(question, answer)], [fee item names])
SERVICES_EN = {
    "passport-issue": (
        "Chinese citizens going abroad for private reasons (visiting family, study, work, travel, business) apply for an ordinary passport or its renewal.",
        "Passport Law of the PRC, Articles 5 and 6.",
        "A Chinese citizen going abroad for non-official reasons.",
        ["Apply online", "Photo and fingerprints taken at the counter", "Approval", "Passport made and posted"],
        "Ordinary passport of the People's Republic of China",
        [],
        ["Passport fee"],
    ),
    "housing-fund-withdrawal": (
        "Contributing employees who buy, build or rent their own home apply to withdraw their housing provident fund.",
        "Regulations on the Management of Housing Provident Funds, Articles 24 and 25.",
        "A contributing employee in one of the cases that allow a withdrawal.",
        ["Apply online", "Review", "Paid into your own bank account"],
        "Housing provident fund withdrawal decision",
        [],
        [],
    ),
    "pension-claim": (
        "People insured in Shanghai's basic pension insurance for urban employees who reach the statutory retirement age claim their monthly basic pension.",
        "Social Insurance Law of the PRC, Article 16.",
        "You have reached the statutory retirement age and contributed for at least fifteen years in all.",
        ["Apply online", "Contribution record checked", "Pension amount set", "Paid monthly"],
        "Notice of the basic pension granted",
        [],
        [],
    ),
    "marriage-registration": (
        "Two mainland residents who freely wish to marry book online and send their materials; after the civil affairs bureau reviews them and the police check household registration, both sign in person at the booked registry and receive the marriage certificate.",
        "Civil Code of the PRC, Article 1049; Regulations on Marriage Registration, Articles 4–7; Marriage Registration Work Standards.",
        "1. Both parties marry of their own free will;\n2. The man is at least 22 and the woman at least 20;\n3. Neither is married;\n4. They are not lineal relatives or collateral relatives within three generations.",
        [
            "Fill in the application online and upload the materials",
            "The system lists every missing item at once",
            "Pay the certificate fee online",
            "The civil affairs bureau accepts and reviews; the police check household registration (in parallel)",
            "Both sign in person at the registry at the booked time",
            "Receive the marriage certificate (the electronic decision is issued at the same time)",
        ],
        "Marriage certificate",
        [
            (
                "Can one of us come alone?",
                "No. Both must sign in person (Regulations on Marriage Registration, Article 4).",
            ),
            (
                "Can we register if our household registration is not in Shanghai?",
                "Mainland residents register where one of them has permanent household registration; pilot areas for cross-province service have their own rules.",
            ),
        ],
        ["Marriage certificate fee"],
    ),
    "divorce-registration": (
        "Spouses who both wish to divorce and agree on children, property and debts apply for divorce registration. A 30-day cooling-off period applies.",
        "Civil Code of the PRC, Articles 1076 and 1077; Regulations on Marriage Registration, Articles 10–13.",
        "1. Both wish to divorce;\n2. They agree on children, property and debts in a written divorce agreement;\n3. Both have full civil capacity.",
        [
            "Apply online",
            "The registry accepts; the 30-day cooling-off period starts",
            "Within 30 days after it ends, both come in person to ask for the certificate",
            "Review and issue of the divorce certificate",
        ],
        "Divorce certificate",
        [],
        [],
    ),
    "household-move-spouse": (
        "People from other provinces who qualify may move their household registration to Shanghai to join a spouse registered here.",
        "Regulations of the PRC on Household Registration, Articles 10 and 13; Shanghai Provisions on Permanent Household Registration.",
        "1. Married for at least ten years;\n2. The applicant is at least 45;\n3. Lawful, stable residence in Shanghai meeting the housing conditions.",
        [
            "Apply online",
            "The household registration counter accepts and reviews",
            "On-site check",
            "Approval and certificate permitting the move",
        ],
        "Certificate permitting the move",
        [],
        [],
    ),
    "id-card-renewal": (
        "Renew your resident ID card when it expires, is damaged or its details change.",
        "Resident Identity Card Law of the PRC, Articles 5, 11 and 20.",
        "Shanghai residents, within three months before the card expires, or when it is damaged or its details change.",
        [
            "Apply online and upload a photo",
            "Review",
            "Card production",
            "Delivery by post or collection at the counter",
        ],
        "Resident ID card",
        [],
        ["Resident ID card fee"],
    ),
    "birth-registration": (
        "Register a newborn of Shanghai-registered parents within one month of birth.",
        "Regulations of the PRC on Household Registration, Article 7.",
        "Within one month of birth; one parent has Shanghai household registration.",
        [
            "Apply online",
            "Check of the medical certificate of birth",
            "Registration and printing of the household register page",
        ],
        "Household register (newborn's page)",
        [],
        [],
    ),
    "residence-permit": (
        "People who have lived lawfully in Shanghai for six months and have stable work, a stable home or are studying here may apply for a residence permit.",
        "Interim Regulations on Residence Permits, Article 2; Shanghai Measures on Residence Permits.",
        "Registered as resident for six months and meeting one of the conditions on stable work, home or study.",
        [
            "Apply online",
            "The community affairs centre accepts",
            "Review",
            "Permit made; you are told when to collect it",
        ],
        "Shanghai residence permit",
        [],
        [],
    ),
    "school-enrolment": (
        "Parents register their school-age children through the city's compulsory education enrolment system within the set period.",
        "Compulsory Education Law of the PRC, Articles 11 and 12.",
        "Children aged six or over.",
        [
            "Registration of information",
            "Review by the district education bureau",
            "Check by the school",
            "Admission notice",
        ],
        "Admission notice",
        [],
        [],
    ),
    "employment-registration": (
        "Register employment once you have an employment relationship with an employer.",
        "Employment Promotion Law of the PRC; Provisions on Employment Services and Management, Article 62.",
        "An employment contract signed with the employer.",
        ["Apply online", "Review", "Registered"],
        "Employment registration record",
        [],
        [],
    ),
    "unemployment-benefit": (
        "People who lost their job involuntarily, paid unemployment insurance for at least a year and registered as unemployed claim unemployment benefit.",
        "Regulations on Unemployment Insurance, Article 14; Social Insurance Law of the PRC, Article 45.",
        "1. The employer and you paid unemployment insurance for at least one year;\n2. The job ended against your will;\n3. You registered as unemployed and are looking for work.",
        ["Apply online", "Check of contribution records", "Benefit determined", "Paid monthly"],
        "Notice of unemployment benefit",
        [],
        [],
    ),
    "driving-licence-renewal": (
        "Renew your driving licence within 90 days before it expires.",
        "Road Traffic Safety Law of the PRC, Article 19; Provisions on Applying for and Using Driving Licences, Article 65.",
        "Within 90 days before the licence expires; medically fit.",
        [
            "Apply online and upload the medical certificate",
            "Review by the vehicle administration office",
            "Licence production",
            "Delivery by post",
        ],
        "Driving licence",
        [],
        ["Driving licence fee"],
    ),
    "tour-guide-licence": (
        "People with a tour guide qualification who work for a travel agency or are registered with a guide service body apply for a tour guide card.",
        "Tourism Law of the PRC, Article 37; Measures on the Management of Tour Guides, Article 8.",
        "A tour guide qualification certificate; an employment contract with a travel agency or registration with a tourism industry body.",
        ["Apply online", "Review", "Electronic tour guide card issued"],
        "Electronic tour guide card",
        [],
        [],
    ),
    "minimum-living-allowance": (
        "Shanghai households whose income per member is below the city's minimum living standard and whose assets qualify apply for the minimum living allowance.",
        "Interim Measures on Social Assistance, Articles 9–11; Shanghai Regulations on Social Assistance.",
        "Shanghai household registration; income per member below the standard; assets within the limits.",
        [
            "Apply online",
            "The sub-district accepts",
            "Check of the household's finances",
            "Public notice",
            "Approval",
        ],
        "Notice of the minimum living allowance",
        [],
        [],
    ),
    "senior-allowance": (
        "Shanghai residents aged 70 or over apply for the senior nutrition allowance.",
        "Law of the PRC on the Protection of the Rights and Interests of the Elderly, Article 33; Shanghai Regulations on the Rights of the Elderly.",
        "Shanghai household registration, aged 70 or over.",
        ["Apply online", "Review", "Paid monthly"],
        "Notice of the allowance",
        [],
        [],
    ),
    "enterprise-establishment": (
        "Register a new limited liability company, company limited by shares or branch; tax information is confirmed at the same time.",
        "Company Law of the PRC, Articles 29–31; Regulations on the Registration of Market Entities, Articles 3 and 19.",
        "1. The name complies with the rules;\n2. Shareholders as the articles require;\n3. A company address;\n4. A legal representative who may hold the office.",
        [
            "Fill in online (one-stop)",
            "Review by market regulation",
            "The tax bureau confirms tax information (in parallel)",
            "Business licence issued (electronic licence at the same time)",
        ],
        "Business licence",
        [],
        [],
    ),
    "enterprise-change": (
        "Register changes of an enterprise's name, address, legal representative, registered capital or business scope.",
        "Regulations on the Registration of Market Entities, Article 24.",
        "The change was lawfully resolved or decided.",
        ["Apply online", "Review", "New business licence issued"],
        "Amended business licence",
        [],
        [],
    ),
    "enterprise-deregistration": (
        "An enterprise that was dissolved and liquidated applies for deregistration; simplified deregistration where it qualifies.",
        "Company Law of the PRC, Article 239; Regulations on the Registration of Market Entities, Articles 31–33.",
        "Liquidation completed, or qualifying for simplified deregistration (no debts or all paid).",
        ["Public notice", "Apply online", "Market regulation and tax review in parallel", "Deregistration"],
        "Notice of deregistration",
        [],
        [],
    ),
    "food-business-licence": (
        "Apply for a food business licence to sell food or run catering.",
        "Food Safety Law of the PRC, Article 35; Measures on Food Business Licensing and Filing.",
        "Premises, equipment, staff and management rules suited to the kind and volume of business.",
        ["Apply online", "Review of materials", "On-site check (when needed)", "Licence issued"],
        "Food business licence",
        [],
        [],
    ),
    "tax-new-taxpayer": (
        "A new enterprise confirms its information, invoice types and tax control devices in one go.",
        "Law of the PRC on the Administration of Tax Collection, Article 15; Measures on Tax Registration.",
        "Holds a business licence.",
        ["Apply online", "Tax review", "Invoices issued"],
        "Result of the tax matters",
        [],
        [],
    ),
    "vat-filing": (
        "VAT taxpayers file their VAT returns on time.",
        "Value-Added Tax Law of the PRC; Law of the PRC on the Administration of Tax Collection, Article 25.",
        "VAT taxpayers.",
        ["Fill in on the electronic tax bureau", "Pay the tax"],
        "Filing receipt",
        [],
        [],
    ),
    "job-stabilisation-subsidy": (
        "Insured enterprises that lay off no one, or few, claim the unemployment insurance job-stabilisation refund.",
        "Regulations on Unemployment Insurance; notices of the Ministry of Human Resources and Social Security on the job-stabilisation refund.",
        "Unemployment insurance paid in full; no lay-offs last year, or a rate within the limit.",
        ["Apply online", "Review", "Public notice", "Payment"],
        "Notice of payment",
        [],
        [],
    ),
    "investment-project-filing": (
        "Enterprise investment projects outside the approval catalogue are filed by giving the project's information online.",
        "Regulations on the Approval and Filing of Enterprise Investment Projects, Articles 13 and 14.",
        "The project is not in the approval catalogue.",
        ["Fill in the project information online", "The filing authority confirms", "Project code generated"],
        "Project filing certificate",
        [],
        [],
    ),
    "technology-contract-registration": (
        "Sellers under technology development, transfer, licensing, consulting and service contracts register them to obtain the tax benefits.",
        "Law of the PRC on Promoting the Transformation of Scientific and Technological Achievements; Measures on the Registration of Technology Contracts, Article 6.",
        "A signed technology contract.",
        ["Apply online", "Recognition review", "Registration"],
        "Technology contract registration certificate",
        [],
        [],
    ),
    "high-tech-enterprise": (
        "Qualifying enterprises apply to be recognised as high-tech enterprises and receive enterprise income tax benefits.",
        "Measures on the Recognition of High-Tech Enterprises (Guokefahuo [2016] No. 32), Article 11.",
        "Registered for more than a year; owns core intellectual property; R&D staff and R&D spending within the set ratios.",
        ["Apply online", "Expert review", "Public notice", "Recognition and certificate"],
        "High-tech enterprise certificate",
        [],
        [],
    ),
    "talent-settlement": (
        "Employers apply for Shanghai household registration for the high-level or much-needed talent they recruit.",
        "Shanghai Measures on Household Registration for Recruited Talent.",
        "The employer is lawfully registered; the recruited person meets the conditions.",
        [
            "The employer applies online",
            "Review by human resources",
            "Check by the police (in parallel)",
            "Notice permitting registration",
        ],
        "Notice permitting registration",
        [],
        [],
    ),
    "travel-agency-licence": (
        "Enterprises that want to run domestic and inbound tourism apply for a travel agency licence.",
        "Tourism Law of the PRC, Articles 28 and 29; Regulations on Travel Agencies, Article 6.",
        "Fixed premises, the necessary facilities, registered capital as required, and the necessary managers and guides.",
        ["Apply online", "Review", "On-site check", "Licence issued"],
        "Travel agency licence",
        [],
        [],
    ),
}


def apply() -> None:
    """Fill what is still empty, so a second run (or an administrator's own text) is left alone."""
    from accounts.models import Organisation
    from portal.models import DepartmentName, Service, ServiceMaterial

    for code, kind in LICENCE_KINDS.items():
        Service.objects.filter(code=code, licence_kind="").update(licence_kind=kind)
    for name, kind in MATERIAL_LICENCES.items():
        ServiceMaterial.objects.filter(name=name, licence_kind="").update(licence_kind=kind)
    for organisation in Organisation.objects.filter(name__in=DEPARTMENTS_EN):
        DepartmentName.objects.get_or_create(
            organisation=organisation, defaults={"name_en": DEPARTMENTS_EN[organisation.name]}
        )
    for material in ServiceMaterial.objects.filter(name_en=""):
        material.name_en = MATERIALS_EN.get(material.name, "")
        material.form_en = material.form_en or FORMS_EN.get(material.form, "")
        material.source_en = material.source_en or SOURCES_EN.get(material.source, "")
        material.save(update_fields=["name_en", "form_en", "source_en"])
    for service in Service.objects.filter(code__in=SERVICES_EN, summary_en=""):
        summary, basis, conditions, steps, result, faq, fees = SERVICES_EN[service.code]
        service.summary_en, service.legal_basis_en, service.conditions_en = summary, basis, conditions
        service.steps_en = steps if len(steps) == len(service.steps) else []
        service.result_name_en = result
        service.location_en = LOCATIONS_EN.get(service.location, "")
        service.office_hours_en = HOURS_EN.get(service.office_hours, "")
        for item, (question, answer) in zip(service.faq, faq, strict=False):
            item.setdefault("q_en", question)
            item.setdefault("a_en", answer)
        for item, name in zip(service.fee_items, fees, strict=False):
            item.setdefault("item_en", name)
            basis = FEE_BASIS_EN.get(item.get("basis", ""))
            if basis:
                item.setdefault("basis_en", basis)
        # English text only: the Chinese guide (hashed in the ledger by service_save) is unchanged.
        service.save(
            update_fields=[
                "summary_en",
                "legal_basis_en",
                "conditions_en",
                "steps_en",
                "result_name_en",
                "location_en",
                "office_hours_en",
                "faq",
                "fee_items",
            ]
        )
