from datetime import date
from decimal import Decimal

from ninja import Field, Schema


class TrainingIn(Schema):
    title: str = Field(..., title="课程名称", max_length=200)
    trainer: str = Field(..., title="授课人", max_length=100)
    starts_on: date = Field(..., title="开始日期")
    ends_on: date = Field(..., title="结束日期")
    mode: str = Field(..., title="方式", description="in_person 线下 / online 线上")
    place: str = Field("", title="地点（线下）", max_length=200)
    link: str = Field("", title="链接（线上）", max_length=500)
    capacity: int = Field(..., title="名额")
    hours: Decimal = Field(..., title="学时")
    description: str = Field("", title="课程简介", max_length=10000)
    organizer_organization_id: int | None = Field(
        None, title="主办枢纽型社会组织", description="不填则以本人所在部门名义举办"
    )


class TrainingOut(Schema):
    id: int
    number: str
    title: str
    description: str
    organizer_organization_id: int | None
    organizer_department_id: int | None
    organizer_name: str
    region_code: str = Field(..., alias="region_id")
    trainer: str
    starts_on: date
    ends_on: date
    mode: str
    place: str
    link: str
    capacity: int
    hours: Decimal
    enrolled_count: int
    status: str
    version: int


class EnrollIn(Schema):
    organization_id: int = Field(..., title="学员所在社会组织")
    attendee_id: int | None = Field(None, title="学员", description="不填则为本人报名")


class AttendanceIn(Schema):
    enrollment_id: int = Field(..., title="报名记录")
    attended: bool = Field(..., title="已出勤")
    hours: Decimal | None = Field(None, title="出勤学时", description="不填则为课程学时")
    completed: bool = Field(False, title="已结业（培训结束后）")


class EnrollmentOut(Schema):
    id: int
    training_id: int
    attendee_id: int
    attendee_name: str
    organization_id: int
    organization_name: str
    attended: bool
    attended_hours: Decimal
    completed: bool
    certificate_number: str | None

    @staticmethod
    def resolve_attendee_name(obj: object) -> str:
        return str(obj.attendee)  # type: ignore[attr-defined]

    @staticmethod
    def resolve_organization_name(obj: object) -> str:
        return obj.organization.name  # type: ignore[attr-defined]


class CertificateCheckOut(Schema):
    certificate_number: str
    name_masked: str
    course: str
    completed_on: date


class TalentIn(Schema):
    person_id: int = Field(..., title="人员", description="该组织的在册成员")
    organization_id: int = Field(..., title="所在社会组织")
    domains: list[str] = Field([], title="擅长领域代码")
    social_work_level: str = Field("", title="社会工作者职业资格", description="assistant / social_worker / senior")
    social_work_certificate: str = Field("", title="职业资格证书编号", max_length=50)
    social_work_year: int | None = Field(None, title="取得年份")
    other_qualifications: str = Field("", title="其他资格（名称、证书编号、年份）", max_length=2000)


class TalentOut(Schema):
    id: int
    person_id: int
    name: str
    organization_id: int
    organization_name: str
    domains: list[str]
    social_work_level: str
    social_work_certificate: str
    social_work_year: int | None
    other_qualifications: str

    @staticmethod
    def resolve_name(obj: object) -> str:
        return str(obj.person)  # type: ignore[attr-defined]

    @staticmethod
    def resolve_organization_name(obj: object) -> str:
        return obj.organization.name  # type: ignore[attr-defined]

    @staticmethod
    def resolve_domains(obj: object) -> list[str]:
        return [d.code for d in obj.domains.all()]  # type: ignore[attr-defined]


class LedProjectIn(Schema):
    match_id: int = Field(..., title="本组织的对接项目")
    role: str = Field("", title="担任角色", max_length=100)


class LedProjectOut(Schema):
    id: int
    talent_id: int
    match_id: int
    role: str
