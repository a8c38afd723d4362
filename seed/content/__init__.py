"""Demo content for Framsteg: pure, typed data (no database code).

``seed.content.demo`` holds the programme, people, initiatives and demo accounts; ``seed.content.series``
generates deterministic measurements; ``seed.content.timeline`` documents and implements the relative
time conventions the loader needs.
"""
