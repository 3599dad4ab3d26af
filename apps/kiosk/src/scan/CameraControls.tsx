/** Camera choice (when the device has more than one) and the torch (when the camera has one). */
export function CameraControls({
  cameras,
  cameraId,
  onChoose,
  torch,
  onToggleTorch,
}: {
  cameras: Array<{ id: string; label: string }>;
  cameraId: string | null;
  onChoose: (id: string) => void;
  torch: { supported: boolean; on: boolean };
  onToggleTorch: () => void;
}) {
  return (
    <div className="camera-controls">
      {cameras.length > 1 && (
        <label>
          Camera{" "}
          <select value={cameraId ?? ""} onChange={(e) => onChoose(e.target.value)}>
            {!cameraId && <option value="">Default</option>}
            {cameras.map((c) => (
              <option key={c.id} value={c.id}>
                {c.label || c.id}
              </option>
            ))}
          </select>
        </label>
      )}
      {torch.supported && (
        <button type="button" onClick={onToggleTorch} aria-pressed={torch.on}>
          {torch.on ? "Torch off" : "Torch on"}
        </button>
      )}
    </div>
  );
}
