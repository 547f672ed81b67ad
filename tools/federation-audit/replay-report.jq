# Prints replay.json (see replay.mjs) for people: per failing suite, whether the gateway
# came up and the start of its log; per failing case, the query, the audit's expected
# answer and the gateway's full response.
group_by(.suite)[]
| "\n### \(.[0].suite)  (gateway ready: \(.[0].ready))\ngateway log (start):\n\((.[0].gatewayLog // "")[0:1200] | split("\n") | map("    " + .) | join("\n"))",
  (.[] | "\n#### \(.suite) #\(.index)  (same answer 3 times: \(.stableOver3))\nquery:    \(.query | gsub("\\s+"; " ") | ltrimstr(" ") | rtrimstr(" "))\nexpected: \(.expected | tojson)\nreceived: \(.received.body // .received.error // "no response")")
