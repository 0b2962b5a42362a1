# ruff: noqa: RUF001  (Chinese is written with fullwidth punctuation)
"""Simplified Chinese for the server's pages; a missing key shows in English."""

ZH_CN: dict[str, str] = {
    # login and logout
    "Carnet: log in": "Carnet：登录",
    "Carnet: logged out": "Carnet：已退出",
    "Log in": "登录",
    "Logged out": "已退出",
    "Password or token": "密码或令牌",
    "Token": "令牌",
    "Set a new password (log in with the token)": "设置新密码（用令牌登录）",
    "New password": "新密码",
    "The token is in the URL the server printed at start; "
    "{command} shows it again.": "令牌在服务器启动时打印的 URL 中；{command} 可以再次显示它。",
    "You have logged out of this notebook server.": "您已退出此笔记本服务器。",
    "Log in again": "重新登录",
    "Too many failed attempts; retry in {seconds} s.": "失败次数过多；请 {seconds} 秒后重试。",
    "Invalid password or token.": "密码或令牌无效。",
    "Log in with the token to set a new password.": "请用令牌登录以设置新密码。",
    "The new password could not be saved (see the server log).": "无法保存新密码（见服务器日志）。",
    # error pages
    "Not Found": "未找到",
    "Forbidden": "禁止访问",
    "Service Unavailable": "服务不可用",
    "No such directory: {path}": "没有这个目录：{path}",
    "No such notebook: {path}": "没有这个笔记本：{path}",
    "No such file: {path}": "没有这个文件：{path}",
    "No such static file": "没有这个静态文件",
    "Only custom.js and custom.css are served here": "此处只提供 custom.js 和 custom.css",
    "terminals are disabled on this server (terminals_enabled = False)": (
        "此服务器已禁用终端（terminals_enabled = False）"
    ),
    "Read-only access: this user may not use terminals.": "只读访问：此用户不能使用终端。",
    "No terminal named {name} (it was closed, or its shell exited).": (
        "没有名为 {name} 的终端（它已被关闭，或其 shell 已退出）。"
    ),
    "Back to the file list": "返回文件列表",
    # the page shell
    "Loading…": "正在加载…",
    "Home": "主目录",
    "Terminal {name}": "终端 {name}",
}
