"""Colours of states in templates (a builtin): ``{{ roadmap.status|badge_tone }}``,
``bg-{{ batch.status|tone }}``, ``{{ answer|tone_icon }}`` — from the one mapping in
``core/tones.py``."""

from django import template

from opora.core import tones

register = template.Library()

register.filter("tone", tones.tone)
register.filter("badge_tone", tones.badge)
register.filter("tone_icon", tones.icon)
