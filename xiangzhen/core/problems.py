"""RFC 9457 problem documents for every API error, with Chinese messages that name the field."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from xiangzhen.core.errors import FieldError, XiangzhenError

PROBLEM_BASE = "https://xiangzhen.example/problems/"

# pydantic error types → Chinese, `{field}` is the field's Chinese label when the schema has one.
PYDANTIC_MESSAGES = {
    "missing": "“{field}”为必填项",
    "string_too_short": "“{field}”不能为空或太短",
    "string_too_long": "“{field}”超过了最大长度",
    "string_type": "“{field}”应为文本",
    "int_parsing": "“{field}”应为整数",
    "int_type": "“{field}”应为整数",
    "float_parsing": "“{field}”应为数字",
    "decimal_parsing": "“{field}”应为数字",
    "bool_parsing": "“{field}”应为是或否",
    "bool_type": "“{field}”应为是或否",
    "date_from_datetime_parsing": "“{field}”应为日期，格式 YYYY-MM-DD",
    "date_parsing": "“{field}”应为日期，格式 YYYY-MM-DD",
    "datetime_parsing": "“{field}”应为时间",
    "enum": "“{field}”的取值不在允许范围内",
    "literal_error": "“{field}”的取值不在允许范围内",
    "greater_than_equal": "“{field}”太小",
    "less_than_equal": "“{field}”太大",
    "list_type": "“{field}”应为列表",
    "value_error": "“{field}”：{msg}",
    "json_invalid": "请求体不是合法的 JSON",
    "model_attributes_type": "请求体格式不正确",
}


def problem(status: int, slug: str, title: str, detail: str, errors: list[FieldError] | None = None) -> HttpResponse:
    import json

    body: dict[str, Any] = {"type": PROBLEM_BASE + slug, "title": title, "status": status, "detail": detail}
    if errors:
        body["errors"] = [{"field": e.field, "message": e.message} for e in errors]
    return HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type="application/problem+json; charset=utf-8"
    )


def _field_name(loc: list[Any]) -> str:
    # loc is like ["body", "payload", "credit_code"]; the source and the payload name are noise.
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "form", "payload", "filters")]
    return ".".join(parts) or "body"


def translate_validation(errors: list[dict[str, Any]]) -> list[FieldError]:
    result = []
    for err in errors:
        field = _field_name(list(err.get("loc", [])))
        template = PYDANTIC_MESSAGES.get(err.get("type", ""), "“{field}”的值不正确：{msg}")
        msg = str(err.get("msg", "")).removeprefix("Value error, ")
        result.append(FieldError(field, template.format(field=field, msg=msg)))
    return result


# The errors any operation may answer with; each is a problem document (below). Listed on every
# operation of the OpenAPI document so clients (and Schemathesis) know them.
ERROR_RESPONSES = {
    400: "请求无法处理",
    401: "未登录，或接口令牌无效、已吊销",
    403: "无权执行此操作（含只读令牌用于修改、部门工作人员未完成两步验证）",
    404: "记录不存在或不在您的权限范围内",
    409: "记录当前的状态不允许此操作，或已被他人修改",
    422: "数据校验未通过：errors 中逐项列出字段和原因",
}
PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": "RFC 9457 问题详情",
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "message"],
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
}


def document_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the problem responses to every operation of an OpenAPI document (in place)."""
    schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    reference = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for methods in schema.get("paths", {}).values():
        for operation in methods.values():
            responses = operation.setdefault("responses", {})
            for status, description in ERROR_RESPONSES.items():
                if status not in responses and str(status) not in responses:
                    responses[status] = {"description": description, "content": reference}
    return schema


class ProblemAPI(NinjaAPI):
    """The NinjaAPI whose OpenAPI document also lists the problem responses of every operation."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        return document_errors(super().get_openapi_schema(*args, **kwargs))


def install(api: NinjaAPI) -> None:
    @api.exception_handler(XiangzhenError)
    def _service_error(request: HttpRequest, exc: XiangzhenError) -> HttpResponse:
        return problem(exc.status, exc.type_slug, exc.title, exc.message, exc.errors)

    @api.exception_handler(NinjaValidationError)
    def _validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors = translate_validation(list(exc.errors))
        detail = "；".join(e.message for e in errors)
        return problem(422, "validation", "数据校验未通过", detail, errors)

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return problem(401, "unauthenticated", "未登录", "请先登录，或在请求头中提供有效的接口令牌")

    @api.exception_handler(HttpError)
    def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return problem(exc.status_code, "http", "请求无法处理", str(exc))

    from django.http import Http404

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return problem(404, "not-found", "记录不存在", "记录不存在或无权查看")
