"""Layer 4, analysis: asymptotics (limits, growth exponents, sample complexity), the claims audit, cover
comparisons and the falsifier. Reads statements from the layers below; never imported by them."""
