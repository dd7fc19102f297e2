#include "vehicle/terrain_contact.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <new>
#include <numbers>
#include <optional>
#include <utility>

#include "base/check.h"
#include "base/random.h"

namespace marsdrive::vehicle {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
// Contacts are created up to this separation (m), so that they do not flicker.
constexpr double kContactMargin = 0.01;
// Contact slices across a wheel, as a fraction of its width from the centre plane.
constexpr std::array<double, 3> kSliceOffsets = {-0.4, 0.0, 0.4};
// A second contact in a slice (ledge, riser, rock side) must differ this much in direction.
const double kSecondContactCos = std::cos(20.0 * std::numbers::pi / 180.0);
// An edge slice takes over from the centre slice where it touches this much deeper (m).
constexpr double kCentreBumpM = 0.002;
// Coulomb coefficient of grousers on the edge of a steep face (EST: the 48 grousers of rover.md
// §2 interlock with a ledge's lip; no published value).
constexpr double kEdgeFriction = 1.0;
// A contact is on a lip if the terrain rises less than kLipRiseM within kLipReachM beyond it.
constexpr double kLipReachM = 0.1;
constexpr double kLipRiseM = 0.05;
// Contacts steeper than this (normal from vertical) are faces, not a soil patch.
const double kSteepFaceRad = 45.0 * std::numbers::pi / 180.0;

struct Vec2 {
  double x = 0, y = 0;
};

btVector3 ToBt(double x, double y, double z) {
  return {static_cast<btScalar>(x), static_cast<btScalar>(y), static_cast<btScalar>(z)};
}

ColliderKind KindOf(const btCollisionObject* object) {
  return static_cast<ColliderKind>(object->getUserIndex());
}

// The manifold point the solver needs, with everything we know set explicitly.
btManifoldPoint MakePoint(const btCollisionObject* a, const btCollisionObject* b,
                          const btVector3& point_a, const btVector3& point_b,
                          const btVector3& normal_on_b, btScalar distance, btScalar friction) {
  btManifoldPoint pt(a->getWorldTransform().invXform(point_a),
                     b->getWorldTransform().invXform(point_b), normal_on_b, distance);
  pt.m_positionWorldOnA = point_a;
  pt.m_positionWorldOnB = point_b;
  pt.m_combinedFriction = friction;
  pt.m_combinedRestitution = 0;
  pt.m_combinedRollingFriction = 0;
  pt.m_combinedSpinningFriction = 0;
  return pt;
}

}  // namespace

// ---- wheels -----------------------------------------------------------------------------------

namespace {

// One contact candidate of a wheel slice, in map coordinates.
struct WheelCandidate {
  bool valid = false;
  double distance = kInf;         // signed: negative = penetration
  double nx = 0, ny = 0, nz = 1;  // normal on the terrain, toward the wheel centre
  double ax = 0, ay = 0, az = 0;  // point on the wheel
  int rock = -1;                  // rock index, -1 for ground
  int slice = 0;
  int key = 0;          // 2 x slice + (1 for a second contact)
  bool corner = false;  // the nearest terrain point is a vertex of the profile (a lip)
};

class WheelTerrainAlgorithm : public btCollisionAlgorithm {
 public:
  WheelTerrainAlgorithm(const btCollisionAlgorithmConstructionInfo& ci, TerrainContactModel* model)
      : btCollisionAlgorithm(ci), model_(model) {}
  WheelTerrainAlgorithm(const WheelTerrainAlgorithm&) = delete;
  WheelTerrainAlgorithm& operator=(const WheelTerrainAlgorithm&) = delete;
  WheelTerrainAlgorithm(WheelTerrainAlgorithm&&) = delete;
  WheelTerrainAlgorithm& operator=(WheelTerrainAlgorithm&&) = delete;
  ~WheelTerrainAlgorithm() override {
    if (manifold_ != nullptr) m_dispatcher->releaseManifold(manifold_);
  }

  void processCollision(const btCollisionObjectWrapper* body0,
                        const btCollisionObjectWrapper* body1, const btDispatcherInfo& /*info*/,
                        btManifoldResult* /*result*/) override {
    const bool wheel_first = KindOf(body0->getCollisionObject()) == ColliderKind::kWheel;
    const btCollisionObject* wheel = (wheel_first ? body0 : body1)->getCollisionObject();
    const btCollisionObject* terrain = (wheel_first ? body1 : body0)->getCollisionObject();
    if (manifold_ == nullptr) manifold_ = m_dispatcher->getNewManifold(wheel, terrain);
    // Remember last step's impulses by contact (slice, first / second) for warm starting.
    previous_.fill({});
    for (int i = 0; i < manifold_->getNumContacts(); ++i) {
      const btManifoldPoint& pt = manifold_->getContactPoint(i);
      const WheelRows* rows = WheelRowsOf(pt);
      if (rows != nullptr && rows->contact_key >= 0 &&
          rows->contact_key < static_cast<int>(previous_.size())) {
        previous_[static_cast<std::size_t>(rows->contact_key)] = {
            pt.m_appliedImpulse, pt.m_appliedImpulseLateral1, pt.m_appliedImpulseLateral2};
      }
    }
    manifold_->clearManifold();
    Collide(wheel, terrain);
  }
  btScalar calculateTimeOfImpact(btCollisionObject*, btCollisionObject*, const btDispatcherInfo&,
                                 btManifoldResult*) override {
    return 1;
  }
  void getAllContactManifolds(btManifoldArray& manifolds) override {
    if (manifold_ != nullptr) manifolds.push_back(manifold_);
  }

 private:
  // The wheel's centre (map), axle, horizontal heading f and the wheel plane's up u = f x a.
  struct WheelFrame {
    double cx = 0, cy = 0, cz = 0, ax = 0, ay = 0, az = 0, fx = 0, fy = 0, ux = 0, uy = 0, uz = 0;
  };
  // The four steps: frame, sample each slice, choose the points, emit them with their rows.
  void Collide(const btCollisionObject* wheel, const btCollisionObject* terrain);
  std::optional<WheelFrame> MakeWheelFrame(const btCollisionObject* wheel) const;
  void SampleSlice(const WheelFrame& w, double off, double sinkage, int k,
                   std::array<WheelCandidate, 2>& out);
  // One slice of the wheel: its centre, radius, profile sample spacing and count.
  struct SliceFrame {
    const WheelFrame* w = nullptr;
    double px = 0, py = 0, pz = 0, r = 0, ds = 0;
    int n = 0, slice = 0;
  };
  void SampleProfile(const SliceFrame& f, double sinkage);
  bool DeepPenetration(const SliceFrame& f, WheelCandidate& cand) const;
  int NearestSegments(const SliceFrame& f);
  int SecondSegment(const SliceFrame& f, int best) const;
  void SegmentCandidate(const SliceFrame& f, int j, WheelCandidate& cand) const;
  static std::pair<const WheelCandidate*, const WheelCandidate*> ChooseContacts(
      const std::array<std::array<WheelCandidate, 2>, 3>& found);
  void EmitContacts(const WheelFrame& w, WheelContactState& state, const WheelCandidate& primary,
                    const WheelCandidate* second, const btCollisionObject* wheel,
                    const btCollisionObject* terrain);
  static std::array<double, 3> RollingDirection(const WheelFrame& w, const WheelCandidate& contact,
                                                const std::array<double, 3>& last);
  void AddPoint(const WheelCandidate& cand, WheelRows& rows, WheelContactState& state,
                const btCollisionObject* wheel, const btCollisionObject* terrain);
  // The soil model of the resting contact, and the Coulomb mu of a rigid (riser, lip) point.
  SoilParams RestingSoil(const WheelCandidate& cand, terrain::SoilClass hub_soil) const;
  double RigidPointFriction(const WheelCandidate& cand) const;
  // mu, or kSettleFriction while the rover settles onto its start.
  double HoldingFriction(double mu) const;

  TerrainContactModel* model_;
  btPersistentManifold* manifold_ = nullptr;
  std::vector<int> near_rocks_;
  // Impulses (normal, rolling, lateral) of last step's points by key 2 x slice + second.
  std::array<std::array<btScalar, 3>, 6> previous_{};
  // The rows of the points emitted (read by the solver through the manifold: vehicle/wheel_rows.h).
  std::array<WheelRows, 2> rows_{};
  // Scratch of SampleSlice: the profile (along-wheel s, height in the wheel plane), its rock,
  // validity, and each segment's nearest point to the wheel centre and distance.
  std::array<Vec2, 64> q{};
  std::array<int, 64> rock_of{};
  std::array<bool, 64> ok{};
  std::array<double, 64> seg_d{};
  std::array<Vec2, 64> seg_c{};
};

void WheelTerrainAlgorithm::Collide(const btCollisionObject* wheel,
                                    const btCollisionObject* terrain) {
  const int wheel_index = wheel->getUserIndex2();
  MD_DEMAND(wheel_index >= 0 && wheel_index < 6);
  WheelContactState& state = model_->wheels[static_cast<std::size_t>(wheel_index)];
  state.in_contact = false;
  state.on_rock = false;
  state.rock_index = -1;
  state.rock_height_m = 0;
  const std::optional<WheelFrame> frame = MakeWheelFrame(wheel);
  std::array<std::array<WheelCandidate, 2>, 3> found{};
  if (frame) {
    state.soil = model_->sampler->SoilAt(frame->cx, frame->cy);
    model_->sampler->RocksNear(frame->cx, frame->cy,
                               model_->wheel_radius_m + 0.5 * model_->wheel_width_m + 0.05,
                               near_rocks_);
    for (std::size_t k = 0; k < kSliceOffsets.size(); ++k) {
      // Slice 0 is the inner edge of every wheel (the axle points left on both sides), so that
      // the solver meets the contacts of mirrored wheels in mirrored order.
      const double off = (wheel_index >= 3 ? -1.0 : 1.0) * kSliceOffsets[k] * model_->wheel_width_m;
      SampleSlice(*frame, off, state.soil_state.sinkage_m, static_cast<int>(k), found[k]);
    }
  }
  const auto [primary, second] = ChooseContacts(found);
  if (primary == nullptr) {
    ReleaseWheelSoil(state.soil_state);
    state.resistance_N = 0;
    return;
  }
  EmitContacts(*frame, state, *primary, second, wheel, terrain);
}

std::optional<WheelTerrainAlgorithm::WheelFrame> WheelTerrainAlgorithm::MakeWheelFrame(
    const btCollisionObject* wheel) const {
  const btTransform& xf = wheel->getWorldTransform();
  const btVector3 axle = xf.getBasis().getColumn(1);
  WheelFrame w;
  w.ax = axle.x();
  w.ay = axle.y();
  w.az = axle.z();
  w.cx = xf.getOrigin().x() + model_->origin_x_m;
  w.cy = xf.getOrigin().y() + model_->origin_y_m;
  w.cz = xf.getOrigin().z() + model_->origin_z_m;
  // Heading of the wheel plane (horizontal) and the plane's "up" u = f x a.
  w.fx = w.ay;
  w.fy = -w.ax;
  const double fnorm = std::sqrt(w.fx * w.fx + w.fy * w.fy);
  if (fnorm < 0.2) return std::nullopt;  // wheel on its side: the rover has rolled over
  w.fx /= fnorm;
  w.fy /= fnorm;
  w.ux = w.fy * w.az;
  w.uy = -w.fx * w.az;
  w.uz = w.fx * w.ay - w.fy * w.ax;
  if (w.uz < 0.2) return std::nullopt;
  return w;
}

std::pair<const WheelCandidate*, const WheelCandidate*> WheelTerrainAlgorithm::ChooseContacts(
    const std::array<std::array<WheelCandidate, 2>, 3>& found) {
  // One contact per wheel where the tread rests (the deepest slice, the centre one unless an
  // edge touches kCentreBumpM deeper: a rock or ridge under one side of the tread), and a second
  // one on a ledge, riser or rock side (the deepest candidate whose normal differs). One point
  // per wheel keeps the rover's contact problem statically determinate, as the rocker-bogie is:
  // with two points across every tread the solver's split of each wheel's load between them is
  // arbitrary, and the friction (soil thrust) each point can carry with it.
  const WheelCandidate* primary = found[1][0].valid ? &found[1][0] : nullptr;
  for (std::size_t k : {std::size_t{0}, std::size_t{2}}) {
    const WheelCandidate& cand = found[k][0];
    if (cand.valid && (primary == nullptr || cand.distance < primary->distance - kCentreBumpM)) {
      primary = &cand;
    }
  }
  if (primary == nullptr) return {nullptr, nullptr};
  const WheelCandidate* second = nullptr;
  for (const auto& slice : found) {
    for (const WheelCandidate& cand : slice) {
      if (!cand.valid || &cand == primary) continue;
      const double cosang = cand.nx * primary->nx + cand.ny * primary->ny + cand.nz * primary->nz;
      if (cosang > kSecondContactCos) continue;
      if (second == nullptr || cand.distance < second->distance) second = &cand;
    }
  }
  return {primary, second};
}

SoilParams WheelTerrainAlgorithm::RestingSoil(const WheelCandidate& cand,
                                              terrain::SoilClass hub_soil) const {
  if (model_->friction_override) return RigidSoil(*model_->friction_override);
  if (cand.rock >= 0) return RigidSoil(kRockFriction);
  // A steep face (a riser, a ledge's lip) under the tread pushes back as rigid ground.
  if (std::acos(std::clamp(cand.nz, -1.0, 1.0)) >= kSteepFaceRad) {
    return RigidSoil(RigidPointFriction(cand));
  }
  return model_->Soil(hub_soil);
}

double WheelTerrainAlgorithm::RigidPointFriction(const WheelCandidate& cand) const {
  if (model_->friction_override) return *model_->friction_override;
  double mu = kRockFriction;
  if (cand.rock < 0) {
    mu = model_
             ->Soil(model_->sampler->SoilAt(cand.ax - cand.nx * cand.distance,
                                            cand.ay - cand.ny * cand.distance))
             .FrictionCoefficient();
  }
  // Grousers hook the lip of a steep face (a ledge's edge): EST higher grip. Not on the face
  // itself, so a wheel cannot walk up a wall.
  if (cand.corner && std::acos(std::clamp(cand.nz, -1.0, 1.0)) >= kSteepFaceRad) {
    mu = std::max(mu, kEdgeFriction);
  }
  return mu;
}

double WheelTerrainAlgorithm::HoldingFriction(double mu) const {
  return model_->settling ? std::max(mu, kSettleFriction) : mu;
}

// The wheel's rolling direction on the contact plane, axle x normal (unchanged if degenerate).
std::array<double, 3> WheelTerrainAlgorithm::RollingDirection(const WheelFrame& w,
                                                              const WheelCandidate& contact,
                                                              const std::array<double, 3>& last) {
  const double dx = w.ay * contact.nz - w.az * contact.ny;
  const double dy = w.az * contact.nx - w.ax * contact.nz;
  const double dz = w.ax * contact.ny - w.ay * contact.nx;
  const double n = std::sqrt(dx * dx + dy * dy + dz * dz);
  return n > 0.1 ? std::array<double, 3>{dx / n, dy / n, dz / n} : last;
}

void WheelTerrainAlgorithm::EmitContacts(const WheelFrame& w, WheelContactState& state,
                                         const WheelCandidate& primary,
                                         const WheelCandidate* second,
                                         const btCollisionObject* wheel,
                                         const btCollisionObject* terrain) {
  state.slope_rad = std::acos(std::clamp(primary.nz, -1.0, 1.0));
  // The resting contact carries the wheel-soil model; its velocity is the wheel link's at the
  // contact point (end of the last step).
  const auto& v = state.hub_velocity_map;
  const auto& om = state.angular_velocity_map;
  const double px = primary.ax - w.cx, py = primary.ay - w.cy, pz = primary.az - w.cz;
  WheelSoilInput in;
  in.load_N = state.load_N;
  in.surface_speed_mps = state.surface_speed_mps;
  in.motor_cap_N = state.drive_force_limit_N;
  in.point_velocity_mps = {v[0] + om[1] * pz - om[2] * py, v[1] + om[2] * px - om[0] * pz,
                           v[2] + om[0] * py - om[1] * px};
  in.axle = {w.ax, w.ay, w.az};
  in.normal = {primary.nx, primary.ny, primary.nz};
  in.radius_m = model_->wheel_radius_m;
  in.width_m = model_->wheel_width_m;
  in.grouser_m = model_->grouser_height_m;
  in.gravity_mps2 = model_->gravity_mps2;
  in.dt_s = model_->step_s;
  const SoilParams resting = RestingSoil(primary, state.soil);
  // Rigid ground (bedrock, a rock, a steep face, a friction override) is a Coulomb tread: a
  // stored elastic shear there locks the braked suspension in whatever state it was loaded in
  // (the rover then tipped 6 deg early across a slope); soil gets the shear patch (§5).
  if (!resting.Deformable()) {
    ReleaseWheelSoil(state.soil_state);
    rows_[0] = RigidPointRows(HoldingFriction(resting.FrictionCoefficient()), state.load_N,
                              state.surface_speed_mps, state.drive_force_limit_N);
  } else {
    rows_[0] = StepWheelSoil(state.soil_state, resting, in);
  }
  state.sinkage_m = state.soil_state.sinkage_m;
  state.resistance_N = primary.rock < 0 ? state.soil_state.resistance_N : 0.0;
  state.rolling_dir_map = RollingDirection(w, primary, state.rolling_dir_map);
  if (second != nullptr) {
    rows_[1] = RigidPointRows(HoldingFriction(RigidPointFriction(*second)), state.load_N,
                              state.surface_speed_mps, state.drive_force_limit_N);
  }
  const std::array<const WheelCandidate*, 2> chosen = {&primary, second};
  for (std::size_t i = 0; i < chosen.size() && chosen[i] != nullptr; ++i) {
    AddPoint(*chosen[i], rows_[i], state, wheel, terrain);
  }
}

void WheelTerrainAlgorithm::AddPoint(const WheelCandidate& cand, WheelRows& rows,
                                     WheelContactState& state, const btCollisionObject* wheel,
                                     const btCollisionObject* terrain) {
  const bool on_rock = cand.rock >= 0;
  const btVector3 normal = ToBt(cand.nx, cand.ny, cand.nz);
  const btVector3 point_a = ToBt(cand.ax - model_->origin_x_m, cand.ay - model_->origin_y_m,
                                 cand.az - model_->origin_z_m);
  const btVector3 point_b = point_a - normal * static_cast<btScalar>(cand.distance);
  btManifoldPoint pt =
      MakePoint(wheel, terrain, point_a, point_b, normal, static_cast<btScalar>(cand.distance),
                static_cast<btScalar>(rows.lat_mu));
  rows.contact_key = cand.key;
  AttachWheelRows(&rows, pt);
  const auto& prev = previous_[static_cast<std::size_t>(cand.key)];
  pt.m_appliedImpulse = prev[0];
  pt.m_appliedImpulseLateral1 = prev[1];
  pt.m_appliedImpulseLateral2 = prev[2];
  manifold_->addManifoldPoint(pt);
  if (cand.distance < 1e-3) {
    state.in_contact = true;
    if (on_rock && !state.on_rock) {
      state.on_rock = true;
      state.rock_index = cand.rock;
      state.rock_height_m =
          model_->sampler->truth().rocks[static_cast<std::size_t>(cand.rock)].height_m;
    }
  }
}

void WheelTerrainAlgorithm::SampleSlice(const WheelFrame& w, double off, double sinkage, int k,
                                        std::array<WheelCandidate, 2>& out) {
  SliceFrame f;
  f.w = &w;
  f.px = w.cx + off * w.ax;
  f.py = w.cy + off * w.ay;
  f.pz = w.cz + off * w.az;
  f.r = model_->wheel_radius_m;
  f.ds = std::min(0.5 * model_->sampler->spec().resolution_m, 0.1 * f.r);
  f.n = std::min(63, static_cast<int>(std::ceil(2 * (f.r + f.ds) / f.ds))) + 1;
  f.slice = k;
  SampleProfile(f, sinkage);
  if (DeepPenetration(f, out[0])) return;
  const int best = NearestSegments(f);
  if (best < 0) return;
  SegmentCandidate(f, best, out[0]);
  out[0].key = 2 * k;
  const int second = SecondSegment(f, best);
  if (second >= 0) {
    SegmentCandidate(f, second, out[1]);
    out[1].key = 2 * k + 1;
  }
}

void WheelTerrainAlgorithm::SampleProfile(const SliceFrame& f, double sinkage) {
  // The terrain profile (ground and rock tops) along the wheel's heading, in the wheel plane:
  // q = (distance along the heading, height above the slice centre along the plane's up).
  const terrain::TerrainSampler& sampler = *model_->sampler;
  const double s0 = -0.5 * (f.n - 1) * f.ds;
  for (int i = 0; i < f.n; ++i) {
    const double s = s0 + i * f.ds;
    const double x = f.px + s * f.w->fx, y = f.py + s * f.w->fy;
    double z = sampler.GroundHeight(x, y) - sinkage;
    int rock = -1;
    for (int ri : near_rocks_) {
      const double top = sampler.rocks()[static_cast<std::size_t>(ri)].TopZ(x, y);
      if (top > z || (std::isnan(z) && top > -kInf)) {
        z = top;
        rock = ri;
      }
    }
    const auto idx = static_cast<std::size_t>(i);
    ok[idx] = std::isfinite(z);
    q[idx] = {s, (z - f.pz) * f.w->uz};
    rock_of[idx] = rock;
  }
}

bool WheelTerrainAlgorithm::DeepPenetration(const SliceFrame& f, WheelCandidate& cand) const {
  // Centre below the profile (deep penetration): push straight out along the plane's up.
  double profile_at_centre = -kInf;
  for (int i = 0; i + 1 < f.n; ++i) {
    const auto a = static_cast<std::size_t>(i), c = a + 1;
    if (ok[a] && ok[c] && q[a].x <= 0 && q[c].x >= 0) {
      const double t = (0 - q[a].x) / (q[c].x - q[a].x);
      profile_at_centre = q[a].y + t * (q[c].y - q[a].y);
    }
  }
  if (!(profile_at_centre > 0)) return false;
  const WheelFrame& w = *f.w;
  cand.valid = true;
  cand.distance = -(f.r + profile_at_centre);
  cand.nx = w.ux;
  cand.ny = w.uy;
  cand.nz = w.uz;
  cand.ax = f.px - f.r * w.ux;
  cand.ay = f.py - f.r * w.uy;
  cand.az = f.pz - f.r * w.uz;
  cand.rock = rock_of[static_cast<std::size_t>(f.n / 2)];
  cand.slice = f.slice;
  cand.key = 2 * cand.slice;
  return true;
}

int WheelTerrainAlgorithm::NearestSegments(const SliceFrame& f) {
  // Circle (radius r at the origin) vs each segment of the profile polyline; the nearest one.
  const int segments = f.n - 1;
  for (int j = 0; j < segments; ++j) {
    const auto a = static_cast<std::size_t>(j), c = a + 1;
    seg_d[a] = kInf;
    if (!ok[a] || !ok[c]) continue;
    const double ex = q[c].x - q[a].x, ey = q[c].y - q[a].y;
    const double len2 = ex * ex + ey * ey;
    double t = len2 > 0 ? -(q[a].x * ex + q[a].y * ey) / len2 : 0.0;
    t = std::clamp(t, 0.0, 1.0);
    seg_c[a] = {q[a].x + t * ex, q[a].y + t * ey};
    seg_d[a] = std::sqrt(seg_c[a].x * seg_c[a].x + seg_c[a].y * seg_c[a].y);
  }
  int best = -1;
  for (int j = 0; j < segments; ++j) {
    if (seg_d[static_cast<std::size_t>(j)] < f.r + kContactMargin &&
        (best < 0 || seg_d[static_cast<std::size_t>(j)] < seg_d[static_cast<std::size_t>(best)])) {
      best = j;
    }
  }
  return best;
}

int WheelTerrainAlgorithm::SecondSegment(const SliceFrame& f, int best) const {
  // A second local minimum whose normal differs: ledge / riser / rock side.
  const int segments = f.n - 1;
  int second = -1;
  for (int j = 0; j < segments; ++j) {
    const auto a = static_cast<std::size_t>(j);
    if (j == best || seg_d[a] >= f.r + kContactMargin) continue;
    const double prev = j > 0 ? seg_d[a - 1] : kInf;
    const double next = j + 1 < segments ? seg_d[a + 1] : kInf;
    if (seg_d[a] > prev || seg_d[a] > next) continue;
    const auto bb = static_cast<std::size_t>(best);
    const double cosang = (seg_c[a].x * seg_c[bb].x + seg_c[a].y * seg_c[bb].y) /
                          (std::max(seg_d[a], 1e-9) * std::max(seg_d[bb], 1e-9));
    if (cosang > kSecondContactCos) continue;
    if (second < 0 || seg_d[a] < seg_d[static_cast<std::size_t>(second)]) second = j;
  }
  return second;
}

void WheelTerrainAlgorithm::SegmentCandidate(const SliceFrame& f, int j,
                                             WheelCandidate& cand) const {
  const WheelFrame& w = *f.w;
  const auto a = static_cast<std::size_t>(j);
  const double d = std::max(seg_d[a], 1e-9);
  // 2D normal from the closest point toward the centre, then to 3D.
  const double n2x = -seg_c[a].x / d, n2y = -seg_c[a].y / d;
  double nx = n2x * w.fx + n2y * w.ux, ny = n2x * w.fy + n2y * w.uy, nz = n2y * w.uz;
  const double nn = std::sqrt(nx * nx + ny * ny + nz * nz);
  nx /= nn;
  ny /= nn;
  nz /= nn;
  cand.valid = true;
  cand.distance = d - f.r;
  cand.nx = nx;
  cand.ny = ny;
  cand.nz = nz;
  cand.ax = f.px - f.r * nx;
  cand.ay = f.py - f.r * ny;
  cand.az = f.pz - f.r * nz;
  // The rock of the nearer end of the segment.
  const double t_end =
      (seg_c[a].x - q[a].x) * (seg_c[a].x - q[a].x) + (seg_c[a].y - q[a].y) * (seg_c[a].y - q[a].y);
  const double t_len =
      (q[a + 1].x - q[a].x) * (q[a + 1].x - q[a].x) + (q[a + 1].y - q[a].y) * (q[a + 1].y - q[a].y);
  cand.rock = rock_of[4 * t_end <= t_len ? a : a + 1];
  cand.slice = f.slice;
  // A lip: the terrain does not rise above the contact within kLipReachM beyond it (away
  // from the wheel), as on top of a ledge's riser; a wall face keeps rising.
  cand.corner = true;
  const double dir = seg_c[a].x >= 0 ? 1.0 : -1.0;
  for (int i = 0; i < f.n; ++i) {
    const auto u = static_cast<std::size_t>(i);
    const double beyond = dir * (q[u].x - seg_c[a].x);
    if (ok[u] && beyond > 0 && beyond <= kLipReachM && q[u].y > seg_c[a].y + kLipRiseM * w.uz) {
      cand.corner = false;
    }
  }
}

// ---- body parts -------------------------------------------------------------------------------

struct PartCandidate {
  double distance = 0;  // signed
  btVector3 point_a;    // on the part (Bullet world)
  btVector3 normal;     // on the terrain, toward the part
  double map_x = 0, map_y = 0;
};

class PartTerrainAlgorithm : public btCollisionAlgorithm {
 public:
  PartTerrainAlgorithm(const btCollisionAlgorithmConstructionInfo& ci, TerrainContactModel* model)
      : btCollisionAlgorithm(ci), model_(model) {}
  PartTerrainAlgorithm(const PartTerrainAlgorithm&) = delete;
  PartTerrainAlgorithm& operator=(const PartTerrainAlgorithm&) = delete;
  PartTerrainAlgorithm(PartTerrainAlgorithm&&) = delete;
  PartTerrainAlgorithm& operator=(PartTerrainAlgorithm&&) = delete;
  ~PartTerrainAlgorithm() override {
    if (manifold_ != nullptr) m_dispatcher->releaseManifold(manifold_);
  }

  void processCollision(const btCollisionObjectWrapper* body0,
                        const btCollisionObjectWrapper* body1, const btDispatcherInfo& /*info*/,
                        btManifoldResult* /*result*/) override {
    const bool part_first = KindOf(body0->getCollisionObject()) != ColliderKind::kTerrain;
    const btCollisionObject* part = (part_first ? body0 : body1)->getCollisionObject();
    const btCollisionObject* terrain = (part_first ? body1 : body0)->getCollisionObject();
    if (manifold_ == nullptr) manifold_ = m_dispatcher->getNewManifold(part, terrain);
    manifold_->clearManifold();
    candidates_.clear();
    const btCollisionShape* shape = part->getCollisionShape();
    const btTransform& xf = part->getWorldTransform();
    if (shape->getShapeType() == BOX_SHAPE_PROXYTYPE) {
      Box(xf, static_cast<const btBoxShape*>(shape)->getHalfExtentsWithMargin());
    } else if (shape->getShapeType() == COMPOUND_SHAPE_PROXYTYPE) {
      const auto* compound = static_cast<const btCompoundShape*>(shape);
      for (int i = 0; i < compound->getNumChildShapes(); ++i) {
        const btCollisionShape* child = compound->getChildShape(i);
        if (child->getShapeType() != BOX_SHAPE_PROXYTYPE) continue;
        Box(xf * compound->getChildTransform(i),
            static_cast<const btBoxShape*>(child)->getHalfExtentsWithMargin());
      }
    }
    Emit(part, terrain);
  }
  btScalar calculateTimeOfImpact(btCollisionObject*, btCollisionObject*, const btDispatcherInfo&,
                                 btManifoldResult*) override {
    return 1;
  }
  void getAllContactManifolds(btManifoldArray& manifolds) override {
    if (manifold_ != nullptr) manifolds.push_back(manifold_);
  }

 private:
  void Box(const btTransform& xf, const btVector3& half);
  void Emit(const btCollisionObject* part, const btCollisionObject* terrain);

  TerrainContactModel* model_;
  btPersistentManifold* manifold_ = nullptr;
  std::vector<PartCandidate> candidates_;
};

void PartTerrainAlgorithm::Box(const btTransform& xf, const btVector3& half) {
  const terrain::TerrainSampler& sampler = *model_->sampler;
  const double ox = model_->origin_x_m, oy = model_->origin_y_m, oz = model_->origin_z_m;
  const btMatrix3x3& basis = xf.getBasis();
  // Corners (map frame), their footprint and lowest point.
  double min_x = kInf, min_y = kInf, max_x = -kInf, max_y = -kInf, min_z = kInf;
  for (int i = 0; i < 8; ++i) {
    const btVector3 local((i & 1) ? half.x() : -half.x(), (i & 2) ? half.y() : -half.y(),
                          (i & 4) ? half.z() : -half.z());
    const btVector3 c = xf(local);
    const double x = c.x() + ox, y = c.y() + oy, z = c.z() + oz;
    min_x = std::min(min_x, x);
    max_x = std::max(max_x, x);
    min_y = std::min(min_y, y);
    max_y = std::max(max_y, y);
    min_z = std::min(min_z, z);
    const double h = sampler.GroundHeight(x, y);
    if (!(z < h + kContactMargin)) continue;
    const terrain::Vec3 n = sampler.GroundNormal(x, y);
    const double depth = (h - z) * n.z;
    candidates_.push_back({-depth, c, ToBt(n.x, n.y, n.z), x, y});
  }
  // Grid vertices inside the box.
  const terrain::GridSpec& spec = sampler.spec();
  const int c0 = std::max(0, static_cast<int>(std::ceil(spec.ColF(min_x))));
  const int c1 = std::min(spec.width_px - 1, static_cast<int>(std::floor(spec.ColF(max_x))));
  const int r0 = std::max(0, static_cast<int>(std::ceil(spec.RowF(min_y))));
  const int r1 = std::min(spec.height_px - 1, static_cast<int>(std::floor(spec.RowF(max_y))));
  const float low = static_cast<float>(min_z);
  const btVector3 origin = xf.getOrigin();
  for (int row = r0; row <= r1; ++row) {
    for (int col = c0; col <= c1; ++col) {
      const float h = sampler.VertexHeight(col, row);
      if (!(h > low)) continue;  // below the box (or NaN)
      const double x = spec.CellCenterX(col), y = spec.CellCenterY(row);
      const btVector3 p = ToBt(x - ox, y - oy, h - oz);
      const btVector3 local = (p - origin) * basis;  // = basis^T (p - origin)
      if (std::fabs(local.x()) >= half.x() || std::fabs(local.y()) >= half.y() ||
          std::fabs(local.z()) >= half.z()) {
        continue;
      }
      if (sampler.HasNodata() && !std::isfinite(sampler.GroundHeight(x, y))) continue;
      const terrain::Vec3 n = sampler.GroundNormal(x, y);
      // The nearest face among those facing the terrain (outward normal against n).
      double best_depth = kInf, any_depth = kInf;
      btVector3 best_out(0, 0, 1), any_out(0, 0, 1);
      for (int axis = 0; axis < 3; ++axis) {
        for (int sign = -1; sign <= 1; sign += 2) {
          const btVector3 out = basis.getColumn(axis) * static_cast<btScalar>(sign);
          const double depth = half[axis] - sign * local[axis];
          if (depth < any_depth) {
            any_depth = depth;
            any_out = out;
          }
          if (out.x() * n.x + out.y() * n.y + out.z() * n.z < 0 && depth < best_depth) {
            best_depth = depth;
            best_out = out;
          }
        }
      }
      if (best_depth == kInf) {
        best_depth = any_depth;
        best_out = any_out;
      }
      candidates_.push_back(
          {-best_depth, p + best_out * static_cast<btScalar>(best_depth), -best_out, x, y});
    }
  }
}

void PartTerrainAlgorithm::Emit(const btCollisionObject* part, const btCollisionObject* terrain) {
  if (candidates_.empty()) return;
  std::sort(candidates_.begin(), candidates_.end(),
            [](const PartCandidate& a, const PartCandidate& b) {
              if (a.distance != b.distance) return a.distance < b.distance;
              if (a.map_x != b.map_x) return a.map_x < b.map_x;
              return a.map_y < b.map_y;
            });
  constexpr btScalar kMinSpacing2 = btScalar(0.15 * 0.15);
  std::array<const PartCandidate*, 4> chosen{};
  int count = 0;
  for (const PartCandidate& cand : candidates_) {
    bool far = true;
    for (int i = 0; i < count; ++i) {
      far = far &&
            (cand.point_a - chosen[static_cast<std::size_t>(i)]->point_a).length2() >= kMinSpacing2;
    }
    if (far) chosen[static_cast<std::size_t>(count++)] = &cand;
    if (count == 4) break;
  }
  for (int i = 0; i < count; ++i) {
    const PartCandidate& cand = *chosen[static_cast<std::size_t>(i)];
    const double mu =
        model_->friction_override
            ? *model_->friction_override
            : model_->Soil(model_->sampler->SoilAt(cand.map_x, cand.map_y)).FrictionCoefficient();
    const btVector3 point_b = cand.point_a - cand.normal * static_cast<btScalar>(cand.distance);
    btManifoldPoint pt = MakePoint(part, terrain, cand.point_a, point_b, cand.normal,
                                   static_cast<btScalar>(cand.distance), static_cast<btScalar>(mu));
    manifold_->addManifoldPoint(pt);
  }
}

template <typename Algorithm>
btCollisionAlgorithm* Create(btCollisionAlgorithmConstructionInfo& ci, TerrainContactModel* model) {
  // Not from the dispatcher's pool (sized for Bullet's own algorithms): the dispatcher frees
  // non-pool memory with btAlignedFree.
  void* memory = btAlignedAlloc(sizeof(Algorithm), 16);
  return new (memory) Algorithm(ci, model);
}

}  // namespace

btCollisionAlgorithm* WheelTerrainCreateFunc::CreateCollisionAlgorithm(
    btCollisionAlgorithmConstructionInfo& ci, const btCollisionObjectWrapper* /*body0*/,
    const btCollisionObjectWrapper* /*body1*/) {
  return Create<WheelTerrainAlgorithm>(ci, model);
}

btCollisionAlgorithm* PartTerrainCreateFunc::CreateCollisionAlgorithm(
    btCollisionAlgorithmConstructionInfo& ci, const btCollisionObjectWrapper* /*body0*/,
    const btCollisionObjectWrapper* /*body1*/) {
  return Create<PartTerrainAlgorithm>(ci, model);
}

}  // namespace marsdrive::vehicle
