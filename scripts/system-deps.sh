#!/usr/bin/env bash
# Debian packages the test suite drives for real: Chromium (browser tests, PDF export),
# nginx (reverse-proxy tests), pandoc (reStructuredText and LaTeX export) and a font with Chinese
# glyphs (the zh-CN UI's screenshots; WenQuanYi Micro Hei, 1.6 MB, when the machine has none).
# Installs only what is missing; needs root.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
command -v pandoc >/dev/null 2>&1 || missing+=(pandoc)
[ -n "$(fc-list :lang=zh family 2>/dev/null)" ] || missing+=(fonts-wqy-microhei)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
    echo "system-deps: please install ${missing[*]} (needs root)" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
