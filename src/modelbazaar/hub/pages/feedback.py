"""Pages: community feedback (filled in below)."""

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
