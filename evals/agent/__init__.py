"""The agent judged on scripted conversations (scenarios, `shopagent bench agent`)."""
