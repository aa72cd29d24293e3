"""The shared haversine against known distances."""

from __future__ import annotations

import math

import numpy as np
import pytest

from aidbridge.planning.geo import EARTH_RADIUS_KM, great_circle_km, great_circle_km_array


def test_same_point_is_zero() -> None:
    assert great_circle_km(45.46, 9.19, 45.46, 9.19) == 0.0


def test_quarter_meridian() -> None:
    # Equator to pole along a meridian is a quarter of the circumference.
    assert great_circle_km(0, 0, 90, 0) == pytest.approx(math.pi * EARTH_RADIUS_KM / 2)


def test_antipodes_are_half_circumference() -> None:
    assert great_circle_km(0, 0, 0, 180) == pytest.approx(math.pi * EARTH_RADIUS_KM)


def test_known_city_pair() -> None:
    # Paris (LFPG area) to Milan: about 640 km by great circle.
    assert great_circle_km(48.8566, 2.3522, 45.4642, 9.19) == pytest.approx(640.0, abs=5.0)


def test_symmetric_and_array_agrees() -> None:
    a = great_circle_km(47.36, 17.5, 45.46, 9.19)
    b = great_circle_km(45.46, 9.19, 47.36, 17.5)
    assert a == pytest.approx(b)
    arr = great_circle_km_array([47.36, 0.0], [17.5, 0.0], [45.46, 90.0], [9.19, 0.0])
    assert np.allclose(arr, [a, math.pi * EARTH_RADIUS_KM / 2])
