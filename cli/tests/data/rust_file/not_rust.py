def f(x):
    return x ** 2 if x > 0 else 0

print(f(3))
