"""The third-party conformance suite, jupyter_kernel_test, against Carnet's kernel."""

from __future__ import annotations

import jupyter_kernel_test

from tests.kernel.conftest import SIGNAL_SPEC


class CarnetKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = SIGNAL_SPEC
    language_name = "python"
    file_extension = ".py"

    code_hello_world = "print('hello, world')"
    code_stderr = "import sys; print('oops', file=sys.stderr)"
    completion_samples = [
        {"text": "zi", "matches": {"zip"}},
        {"text": "import collections.abc as cab; cab.Hashab", "matches": {"Hashable"}},
    ]
    complete_code_samples = ["1", "print('hello, world')", "def f(x):\n  return x*2\n\n\n"]
    incomplete_code_samples = ["print('''hello", "def f(x):\n  x1 = 1", "for i in range(3):"]
    invalid_code_samples = ["import = 7q"]
    code_page_something = "zip?"
    code_generate_error = "raise ValueError('expected')"
    code_execute_result = [
        {"code": "1+2+3", "result": "6"},
        {"code": "[n*n for n in range(1, 4)]", "result": "[1, 4, 9]"},
    ]
    code_display_data = [
        {
            "code": "from IPython.display import HTML, display; display(HTML('<b>x</b>'))",
            "mime": "text/html",
        },
        {
            "code": "from IPython.display import Math, display; display(Math(r'\\frac{1}{2}'))",
            "mime": "text/latex",
        },
    ]
    code_history_pattern = "1+2*"
    supported_history_operations = ("tail", "range", "search")
    code_inspect_sample = "zip"
    code_clear_output = "from IPython.display import clear_output; clear_output()"


class CarnetIopubWelcomeTests(jupyter_kernel_test.IopubWelcomeTests):
    kernel_name = SIGNAL_SPEC
    support_iopub_welcome = True
