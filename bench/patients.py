"""Distinct patients for benchmarks: real use files each patient once, and Yilian refuses the same
patient's second open referral between the same hospitals (SPEC §2, rule duplicate)."""
import datetime

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"


def resident_id(region, born, sequence):
    """An 18-character resident ID with its GB 11643 check character."""
    body = f"{region}{born:%Y%m%d}{sequence:03d}"
    return body + CHECK[sum(int(d) * w for d, w in zip(body, WEIGHTS)) % 11]


def patient(n):
    """Patient number n (n ≥ 0): a birth date and sequence number of its own."""
    born = datetime.date(1940, 1, 1) + datetime.timedelta(days=n // 1000 % 25000)
    return {"name": f"患者{n}", "sex": "male" if n % 2 else "female", "birthDate": born.isoformat(),
            "idNumber": resident_id("110105", born, n % 1000)}
