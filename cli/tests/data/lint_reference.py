"""Reference values for lint's high-precision truth, computed once with mpmath at 50
digits; the numbers are pasted into cli/src/lint/truth.rs's tests."""
import mpmath

mpmath.mp.dps = 50
x = mpmath.mpf(10) ** 15
print("sqrt(x+1) - sqrt(x) at 1e15:", mpmath.nstr(mpmath.sqrt(x + 1) - mpmath.sqrt(x), 20))
print("d/dx 1/(1+e^-x) at 40:", mpmath.nstr(mpmath.exp(-40) / (1 + mpmath.exp(-40)) ** 2, 20))
