from aidbridge.offers.tests.factories import ita_rfa

__all__ = ["ita_rfa"]
