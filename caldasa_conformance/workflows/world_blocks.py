"""The world machine's staff blocks (B5): time off that closes a member's slots at every location.

A block is created over a span of the example's day; one over an occupying item of the member (at any
location) answers 409 `overlaps_booking` (§8 #32), one for a deleted member 404. The model closes the member's
slots under every live block (`World.closed_reason`, reason `block`), so the world machine's availability and
booking predictions judge B5 after every step, and deleting a member takes its blocks with it (§8 #43).
"""

from __future__ import annotations

import functools

from hypothesis import strategies as st
from hypothesis.stateful import Bundle, precondition, rule

from caldasa_conformance.workflows.checks import Expect, check_answer
from caldasa_conformance.workflows.machine import step
from caldasa_conformance.workflows.timeutil import Interval, wire
from caldasa_conformance.workflows.world_model import Block, Member
from caldasa_conformance.workflows.world_steps import WorldSteps, reported


class BlockRules(WorldSteps):
    """Create and delete staff blocks; the rules `world_machine.WorldMachine` takes in."""

    blocks = Bundle("blocks")
    members = Bundle("staff")  # the world machine's bundle of staff members (a bundle is known by its name)

    @precondition(lambda self: self.below("blocks"))
    @rule(target=blocks, member=members, start=st.integers(28, 76), quarters=st.integers(1, 12))
    @reported
    @step
    def create_block(self, member: Member, start: int, quarters: int) -> Block:
        """B5 and §8 #32: 201, or 409 overlaps_booking over an occupying item of the member, or 404 when the
        member is deleted; from then on its slots under the block are closed."""
        interval = Interval(self.w.at(start * 15), self.w.at(min(start + quarters, 95) * 15))
        block = Block(f"block{len(self.w.blocks) + 1}", member=member, interval=interval)
        self.w.blocks.append(block)
        if self._absent(member):
            return block
        under = [b.label for b in self.w.items_of(member) if b.interval and b.interval.overlaps(interval)]
        refusal = (
            Expect(404, "T7", why="staff deleted")
            if not member.live
            else Expect(409, "B5", "overlaps_booking", why=f"over {under}")
            if under
            else None
        )
        body = {"startsAt": wire(interval.start), "endsAt": wire(interval.end), "reason": self.target.run_tag}
        path = {"staffMemberId": str(member.id)}
        response = self.api.call("createStaffBlock", path=path, json=body)
        dto = check_answer(response, refusal or Expect(201, "T8", why="a valid block"), "createStaffBlock")
        if refusal is None:
            block.id = str(dto["id"])
            self.on_teardown(
                functools.partial(self.api.call, "deleteStaffBlock", path=self._path_of(block)[1])
            )
        return block

    @rule(block=blocks)
    @reported
    @step
    def delete_block(self, block: Block) -> None:
        """T7: a block is never in use: 204, then 404; its member's slots under it open again."""
        if not self._absent(block):
            self._delete(block, *self._path_of(block))
