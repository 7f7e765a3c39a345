"""Demo data of the citizen services: offices taking appointments (the three marriage registries the
marriage form names, and the citizens' service centre), with hours and capacity. Loading twice
changes nothing. Addresses and hours are demonstration data."""

from accounts.demo import Demo
from portal.citizen_models import Office
from portal.models import Service

WEEKDAY_HOURS = [["09:00", "12:00"], ["13:30", "17:00"]]
MON_FRI = {str(d): WEEKDAY_HOURS for d in range(1, 6)}

OFFICES = [
    # code (the marriage form's office value), name, department key, address, hours, capacity, services
    (
        "huangpu",
        "黄浦区婚姻登记处",
        "civil_affairs",
        "上海市黄浦区西藏南路 1 号",
        MON_FRI,
        3,
        ["marriage-registration"],
    ),
    (
        "xuhui",
        "徐汇区婚姻登记处",
        "civil_affairs",
        "上海市徐汇区漕溪北路 336 号",
        MON_FRI,
        2,
        ["marriage-registration"],
    ),
    (
        "pudong",
        "浦东新区婚姻登记处",
        "civil_affairs",
        "上海市浦东新区合欢路 201 号",
        MON_FRI,
        3,
        ["marriage-registration"],
    ),
    ("citizen-centre", "黄浦区市民服务中心", "civil_affairs", "上海市黄浦区人民大道 200 号", MON_FRI, 4, []),
]


def load(demo: Demo) -> None:
    for code, name, department, address, hours, capacity, service_codes in OFFICES:
        office, created = Office.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "department": demo.orgs[department],
                "address": address,
                "opening_hours": hours,
                "capacity": capacity,
                "slot_minutes": 30,
            },
        )
        if created:
            office.services.set(Service.objects.filter(code__in=service_codes))
