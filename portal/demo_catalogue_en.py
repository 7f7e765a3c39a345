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


def apply() -> None:
    """Fill what is still empty, so a second run (or an administrator's own text) is left alone."""
    from portal.models import Service, ServiceMaterial

    for code, kind in LICENCE_KINDS.items():
        Service.objects.filter(code=code, licence_kind="").update(licence_kind=kind)
    for name, kind in MATERIAL_LICENCES.items():
        ServiceMaterial.objects.filter(name=name, licence_kind="").update(licence_kind=kind)
