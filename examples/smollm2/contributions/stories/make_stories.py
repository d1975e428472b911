"""Write train.txt: 160 short stories in the style of TinyStories, from templates (CC0-1.0).

TinyStories itself is CDLA-Sharing-1.0 (share-alike), which the licence gate refuses for an
Apache-2.0 model, and the repo's only TinyStories text is the eval suite's. So this
contribution's data is synthetic: simple words, a child or an animal, a small problem, a
kind ending - what TinyStories teaches - drawn from the lists below with a fixed seed.

    python examples/smollm2/contributions/stories/make_stories.py   # rewrites train.txt
"""

import random
from pathlib import Path

NAMES = ["Lily", "Tom", "Mia", "Ben", "Sue", "Max", "Anna", "Sam", "Lucy", "Jack", "Zoe", "Tim"]
HEROES = ["little girl", "little boy", "small dog", "happy cat", "tiny bird", "brave bunny"]
PLACES = ["the park", "the garden", "the big forest", "the beach", "the yard", "the little town"]
THINGS = ["red ball", "shiny stone", "blue kite", "soft teddy", "yellow boat", "big box"]
FRIENDS = ["a kind frog", "an old owl", "a funny duck", "a friendly bear", "a little mouse"]
PROBLEMS = [
    "the {thing} got stuck high in a tree",
    "the {thing} fell into the water",
    "the wind took the {thing} far away",
    "the {thing} was broken",
    "a big dog took the {thing}",
]
FEELINGS = ["sad", "scared", "worried", "upset"]
HELPS = [
    '{friend} came and said, "Do not be {feeling}. I can help you."',
    "Then {friend} saw {name} and wanted to help.",
    "{name} asked {friend} for help, and {friend} said yes.",
]
FIXES = [
    "Together they worked hard, and soon the {thing} was safe again.",
    "They tried and tried, and at last they got the {thing} back.",
    "With a little help, the {thing} was as good as new.",
]
ENDINGS = [
    "{name} said thank you and hugged {friend}. From that day on, they were best friends.",
    "{name} learned that it is good to ask for help. {name} smiled all the way home.",
    "{name} was very happy. {name} knew that friends always help each other.",
    "That night, {name} went to sleep with a big smile and the {thing} close by.",
]


def capital(sentence: str) -> str:
    return sentence[0].upper() + sentence[1:]


def story(rng: random.Random) -> str:
    name, hero, place = rng.choice(NAMES), rng.choice(HEROES), rng.choice(PLACES)
    thing, friend, feeling = rng.choice(THINGS), rng.choice(FRIENDS), rng.choice(FEELINGS)
    fill = {"name": name, "thing": thing, "friend": friend, "feeling": feeling}
    problem = rng.choice(PROBLEMS).format(**fill)
    return " ".join(
        [
            f"Once upon a time, there was a {hero} named {name}.",
            f"{name} loved to play with a {thing} in {place}.",
            f"One day, {problem}. {name} was very {feeling}.",
            capital(rng.choice(HELPS).format(**fill)),
            rng.choice(FIXES).format(**fill),
            rng.choice(ENDINGS).format(**fill),
        ]
    )


def main() -> None:
    rng = random.Random(15)
    stories = [story(rng) for _ in range(160)]
    path = Path(__file__).with_name("train.txt")
    path.write_text("\n\n".join(stories) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
