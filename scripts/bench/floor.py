#!/usr/bin/env python3
# The floor the benchmark holds modelgate's overhead against: the smallest client that does the
# same requests, a streaming loop over the standard library. It reads the requests as JSON on
# stdin, sends each in turn (a connection each: llama-server closes a streamed one), reads the
# event stream to [DONE], and
# prints its own CPU time and peak memory as JSON (the benchmark times its wall clock from outside).
import http.client, json, resource, sys
from urllib.parse import urlparse

url = urlparse(sys.argv[1])
requests = json.load(sys.stdin)
answers = 0
for body in requests:
    connection = http.client.HTTPConnection(url.hostname, url.port)
    connection.request('POST', '/v1/chat/completions', json.dumps(body), {'Content-Type': 'application/json'})
    response = connection.getresponse()
    text = []
    for line in response:
        if line.startswith(b'data: '):
            if line.startswith(b'data: [DONE]'):
                break
            chunk = json.loads(line[6:])
            for choice in chunk.get('choices') or []:
                text.append((choice.get('delta') or {}).get('content') or '')
    response.read()
    connection.close()
    if not ''.join(text):
        sys.exit(f'request {answers + 1}: an empty answer')
    answers += 1
usage = resource.getrusage(resource.RUSAGE_SELF)
# VmHWM, not ru_maxrss: Linux carries that across exec from the spawning process.
peak = int(next(line.split()[1] for line in open('/proc/self/status') if line.startswith('VmHWM:')))
print(json.dumps({'answers': answers, 'cpuMs': (usage.ru_utime + usage.ru_stime) * 1000, 'maxRssKb': peak}))
