"""adapters/sdk_spot_ws.py: the WebSocket half of the binance-sdk-spot adapter
(adapters/binance_sdk_spot.py): PROTOCOL.md §2.1 ops through the SDK's own
public asyncio API, run on one event loop in a background thread.

- WS API: client.websocket_api.create_connection() -> connection;
  send_signed_message (the SDK adds apiKey, timestamp and signature; on a
  logged-on connection only the timestamp) and send_message; session_logon().
  The SDK does not raise on an error frame: the response's data() is
  {"error": {"code", "msg"}} (the frame's status is dropped), which the
  adapter reports as the error the library surfaced.
- User data: user_data_stream_subscribe() on a logged-on session, else
  user_data_stream_subscribe_signature(); events reach the returned handle.
- Market streams: client.websocket_streams.create_connection(), subscribe(),
  on('message', cb, stream) per stream.
The loop lives as long as the adapter's client: close() ends both."""

from bcpy.aioloop import LoopThread
from bcpy.events import EventQueue
from binance_common.configuration import ConfigurationWebSocketAPI, ConfigurationWebSocketStreams


class WsError(Exception):
    """An error frame as the library surfaced it: {code, msg} (no status)."""

    def __init__(self, err):
        super().__init__(err)
        self.err = err if isinstance(err, dict) else {'msg': str(err)}


class SpotWs:
    def __init__(self, spot_cls, p, plain):
        self.plain = plain
        base = str(p.get('wsApiUrl', '')).rsplit('/ws-api/', 1)[0]
        auth = {'api_secret': p['secret']} if p['keyType'] == 'hmac' else {'private_key': p['privateKeyPem']}
        self.client = spot_cls(
            config_ws_api=ConfigurationWebSocketAPI(api_key=p['apiKey'], stream_url=p.get('wsApiUrl'),
                                                    timeout=p.get('timeoutMs', 14000), **auth),
            config_ws_streams=ConfigurationWebSocketStreams(stream_url=base))
        self.timeout_s = p.get('timeoutMs', 14000) / 1000.0
        self.aio = LoopThread(self.timeout_s, lambda m: WsError({'msg': m}))
        self.loop, self.run = self.aio.loop, self.aio.run
        self.conn = None
        self.streams = None
        self.logged_on = False
        self.handles = {}


    def connection(self):
        # one connection per configure: after a drop the SDK reconnects it itself
        if self.conn is None:
            self.conn = self.run(self.client.websocket_api.create_connection())
        return self.conn

    def answer(self, r):
        data = r.data()
        data = self.plain(data)
        if isinstance(data, dict) and data.get('error') is not None:
            raise WsError(data['error'])
        if not isinstance(data, dict):  # "Websocket Reconnect" while the SDK reconnects
            raise WsError({'msg': str(data)})
        return data.get('result')

    def call(self, p):
        c = self.connection()
        payload = {'method': p['method'], 'params': dict(p.get('params') or {})}
        if p.get('id') is not None:
            payload['params']['id'] = p['id']
        if p.get('signed') or p.get('session'):
            return self.answer(self.run(c.send_signed_message(payload, signer=getattr(c, 'signer', None))))
        return self.answer(self.run(c.send_message(payload)))

    def logon(self):
        c = self.connection()
        r = self.answer(self.run(c.session_logon()))
        self.logged_on = True
        return r

    def subscribe(self, p):
        q = EventQueue()
        if p.get('kind') == 'userData':
            c = self.connection()
            try:
                r = self.run(c.user_data_stream_subscribe() if self.logged_on
                             else c.user_data_stream_subscribe_signature())
            except ValueError as e:  # the SDK raises ValueError(frame) when the subscription failed
                raise WsError((e.args[0] or {}).get('error', {'msg': str(e)}) if e.args and isinstance(e.args[0], dict)
                              else {'msg': str(e)})
            handle = r.stream
            handle.on('message', lambda ev: q.push(self.user_event(ev)))
            return q, lambda: self.run(handle.unsubscribe())
        streams = [str(s) for s in p.get('streams') or []]
        if p.get('kind') != 'market' or not streams:
            raise WsError({'msg': 'streamSubscribe: unknown kind %r' % p.get('kind')})
        if self.streams is None:
            self.streams = self.run(self.client.websocket_streams.create_connection())
        sc = self.streams
        self.run(sc.subscribe(streams))
        combined = bool(p.get('combined'))
        for s in streams:
            sc.on('message', lambda ev: q.push(self.market_event(ev, combined)), s)
        return q, lambda: self.run(sc.unsubscribe(streams))

    def user_event(self, ev):
        """The SDK hands user data over as a oneOf model whose instance
        (ExecutionReport, OutboundAccountPosition, ...) lacks the `e` field:
        Binance's event name is the instance's class name, lowerCamelCase."""
        inst = getattr(ev, 'actual_instance', ev)
        d = self.plain(inst)
        if isinstance(d, dict) and 'e' not in d and inst is not None:
            name = type(inst).__name__
            d['e'] = name[:1].lower() + name[1:]
        return d

    def market_event(self, ev, combined):
        """The SDK always opens /stream and hands over the whole frame
        {stream, data}: the protocol's event is `data` (+ `_stream` when the
        case asked for combined streams)."""
        d = self.plain(ev)
        if isinstance(d, dict) and isinstance(d.get('data'), dict) and 'stream' in d:
            return dict(d['data'], _stream=d['stream']) if combined else d['data']
        return d

    def close(self):
        for obj in (self.streams, self.conn):
            if obj is not None:
                try:
                    self.run(obj.close_connection())
                except Exception:  # already closed
                    pass
        self.streams = self.conn = None
        self.aio.stop()
