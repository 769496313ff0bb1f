"""bcpy/errors.py: build the protocol error object from the parts a library
exposed (status, body, headers); fields the library hid stay absent."""
import json


def error_from(status=None, body=None, headers=None, msg=None, unknown=False):
    err = {}
    if status is not None:
        err['httpStatus'] = int(status)
    if body is not None:
        err['raw'] = body if isinstance(body, str) else json.dumps(body)
        try:
            parsed = json.loads(err['raw'])
        except ValueError:
            parsed = None
        if isinstance(parsed, dict):
            if isinstance(parsed.get('code'), int):
                err['code'] = parsed['code']
            if isinstance(parsed.get('msg'), str):
                err['msg'] = parsed['msg']
    if msg is not None and 'msg' not in err:
        err['msg'] = str(msg)
    if headers is not None:
        ra = headers.get('Retry-After') if hasattr(headers, 'get') else None
        if ra:
            err['retryAfter'] = str(ra)
    if unknown:
        err['unknown'] = True
    if not err:
        err['msg'] = 'error without details'
    return err
